// SPDX-License-Identifier: GPL-3.0-or-later
// Holds the current .proto files (compiled into tenchat_protocol) against the
// committed descriptor snapshot of the last release
// (protocol/snapshots/tenchat-v1.pb). Every message, field, enum and enum
// value of the snapshot must still exist with the same number, type, label
// and oneof: the wire contract only grows.
#include "tenchat/v1/frame.pb.h"

#include <QFile>
#include <QTest>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <map>
#include <string>
#include <vector>

namespace gp = google::protobuf;

namespace {

std::string oneofOf(const gp::DescriptorProto& message, const gp::FieldDescriptorProto& field)
{
    return field.has_oneof_index() ? message.oneof_decl(field.oneof_index()).name() : std::string();
}

void compareMessage(const std::string& scope, const gp::DescriptorProto& old, const gp::DescriptorProto& now,
    std::vector<std::string>& problems);

void compareEnum(const std::string& scope, const gp::EnumDescriptorProto& old, const gp::EnumDescriptorProto& now,
    std::vector<std::string>& problems)
{
    std::map<std::string, int> values;
    for (const auto& v : now.value())
        values[v.name()] = v.number();
    for (const auto& v : old.value()) {
        const auto it = values.find(v.name());
        if (it == values.end())
            problems.push_back(scope + ": enum value " + v.name() + " removed");
        else if (it->second != v.number())
            problems.push_back(scope + ": enum value " + v.name() + " renumbered");
    }
}

void compareMessage(const std::string& scope, const gp::DescriptorProto& old, const gp::DescriptorProto& now,
    std::vector<std::string>& problems)
{
    std::map<int, const gp::FieldDescriptorProto*> fields;
    for (const auto& f : now.field())
        fields[f.number()] = &f;
    for (const auto& f : old.field()) {
        const std::string where = scope + "." + f.name() + " (" + std::to_string(f.number()) + ")";
        const auto it = fields.find(f.number());
        if (it == fields.end()) {
            problems.push_back(where + ": field removed");
            continue;
        }
        const auto& n = *it->second;
        if (n.name() != f.name())
            problems.push_back(where + ": renamed to " + n.name());
        if (n.type() != f.type() || n.type_name() != f.type_name())
            problems.push_back(where + ": type changed");
        if (n.label() != f.label())
            problems.push_back(where + ": label (repeated/optional) changed");
        if (oneofOf(now, n) != oneofOf(old, f))
            problems.push_back(where + ": moved into or out of a oneof");
    }
    std::map<std::string, const gp::DescriptorProto*> nested;
    for (const auto& m : now.nested_type())
        nested[m.name()] = &m;
    for (const auto& m : old.nested_type()) {
        const auto it = nested.find(m.name());
        if (it == nested.end())
            problems.push_back(scope + "." + m.name() + ": nested message removed");
        else
            compareMessage(scope + "." + m.name(), m, *it->second, problems);
    }
    std::map<std::string, const gp::EnumDescriptorProto*> enums;
    for (const auto& e : now.enum_type())
        enums[e.name()] = &e;
    for (const auto& e : old.enum_type()) {
        const auto it = enums.find(e.name());
        if (it == enums.end())
            problems.push_back(scope + "." + e.name() + ": nested enum removed");
        else
            compareEnum(scope + "." + e.name(), e, *it->second, problems);
    }
}

// Problems that make `now` unable to talk to peers built from `old`.
std::vector<std::string> breakingChanges(const gp::FileDescriptorSet& old, const gp::FileDescriptorSet& now)
{
    std::vector<std::string> problems;
    std::map<std::string, const gp::DescriptorProto*> messages;
    std::map<std::string, const gp::EnumDescriptorProto*> enums;
    for (const auto& file : now.file()) {
        for (const auto& m : file.message_type())
            messages[file.package() + "." + m.name()] = &m;
        for (const auto& e : file.enum_type())
            enums[file.package() + "." + e.name()] = &e;
    }
    for (const auto& file : old.file()) {
        if (file.package().rfind("tenchat.", 0) != 0)
            continue; // imported well-known types
        for (const auto& m : file.message_type()) {
            const std::string name = file.package() + "." + m.name();
            const auto it = messages.find(name);
            if (it == messages.end())
                problems.push_back(name + ": message removed");
            else
                compareMessage(name, m, *it->second, problems);
        }
        for (const auto& e : file.enum_type()) {
            const std::string name = file.package() + "." + e.name();
            const auto it = enums.find(name);
            if (it == enums.end())
                problems.push_back(name + ": enum removed");
            else
                compareEnum(name, e, *it->second, problems);
        }
    }
    return problems;
}

gp::FileDescriptorSet currentSet(const gp::FileDescriptorSet& snapshot)
{
    // Make sure the generated descriptors are linked in and registered.
    tenchat::v1::Frame frame;
    (void)frame.GetDescriptor();
    gp::FileDescriptorSet now;
    const auto* pool = gp::DescriptorPool::generated_pool();
    for (const auto& file : snapshot.file()) {
        if (const auto* descriptor = pool->FindFileByName(file.name()))
            descriptor->CopyTo(now.add_file());
    }
    return now;
}

} // namespace

class ProtocolCompatibilityTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QFile file(QStringLiteral(TENCHAT_PROTOCOL_SNAPSHOT));
        QVERIFY2(file.open(QIODevice::ReadOnly), TENCHAT_PROTOCOL_SNAPSHOT);
        const QByteArray bytes = file.readAll();
        QVERIFY(snapshot_.ParseFromArray(bytes.constData(), static_cast<int>(bytes.size())));
        QVERIFY(snapshot_.file_size() >= 1);
    }

    void currentProtocolIsBackwardCompatible()
    {
        const auto now = currentSet(snapshot_);
        const auto problems = breakingChanges(snapshot_, now);
        std::string all;
        for (const auto& p : problems)
            all += p + "\n";
        QVERIFY2(problems.empty(), all.c_str());
    }

    void detectsBreakingChanges()
    {
        // The checker itself must catch what it is there for.
        auto now = currentSet(snapshot_);
        QVERIFY(breakingChanges(snapshot_, now).empty());
        auto* frame = [&]() -> gp::DescriptorProto* {
            for (auto& file : *now.mutable_file())
                for (auto& m : *file.mutable_message_type())
                    if (m.name() == "Frame")
                        return &m;
            return nullptr;
        }();
        QVERIFY(frame);
        frame->mutable_field(0)->set_number(99); // renumber request_id
        QVERIFY(!breakingChanges(snapshot_, now).empty());
        frame->mutable_field(0)->set_number(1);
        frame->mutable_field(0)->set_type(gp::FieldDescriptorProto::TYPE_STRING); // retype
        QVERIFY(!breakingChanges(snapshot_, now).empty());
        frame->mutable_field(0)->set_type(gp::FieldDescriptorProto::TYPE_UINT64);
        frame->mutable_field()->RemoveLast(); // drop a field
        QVERIFY(!breakingChanges(snapshot_, now).empty());
        // Adding a field is fine.
        now = currentSet(snapshot_);
        for (auto& file : *now.mutable_file())
            for (auto& m : *file.mutable_message_type())
                if (m.name() == "Frame") {
                    auto* added = m.add_field();
                    added->set_name("new_field");
                    added->set_number(50);
                    added->set_type(gp::FieldDescriptorProto::TYPE_STRING);
                }
        QVERIFY(breakingChanges(snapshot_, now).empty());
    }

private:
    gp::FileDescriptorSet snapshot_;
};

QTEST_GUILESS_MAIN(ProtocolCompatibilityTest)
#include "ProtocolCompatibilityTest.moc"
