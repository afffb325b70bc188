// SPDX-License-Identifier: GPL-3.0-or-later
#include "SenderKeyCheckpoints.h"

#include "GroupKeys.h"

namespace tenchat::core::messaging {

namespace checkpoints {

// One line per checkpoint: "keyId iteration base64(distribution) device,device".
QByteArray encode(const QList<SenderKeyCheckpoint>& list)
{
    QByteArrayList lines;
    for (const auto& c : list)
        lines << QByteArray::number(c.keyId) + ' ' + QByteArray::number(c.iteration) + ' ' + c.distribution.toBase64()
                + ' ' + groupkeys::joinDevices(c.devices);
    return lines.join('\n');
}

QList<SenderKeyCheckpoint> decode(const QByteArray& bytes)
{
    QList<SenderKeyCheckpoint> out;
    for (const auto& line : bytes.split('\n')) {
        const auto parts = line.split(' ');
        if (parts.size() != 4)
            continue;
        bool keyOk = false;
        bool iterationOk = false;
        SenderKeyCheckpoint c;
        c.keyId = parts[0].toUInt(&keyOk);
        c.iteration = parts[1].toUInt(&iterationOk);
        c.distribution = QByteArray::fromBase64(parts[2]);
        c.devices = groupkeys::parseDevices(parts[3]);
        if (keyOk && iterationOk && !c.distribution.isEmpty())
            out.append(std::move(c));
    }
    return out;
}

void add(QList<SenderKeyCheckpoint>& list, const SenderKeyCheckpoint& checkpoint)
{
    if (!list.isEmpty() && list.last().keyId == checkpoint.keyId && list.last().iteration == checkpoint.iteration) {
        list.last().devices.unite(checkpoint.devices);
        return;
    }
    list.append(checkpoint);
    while (list.size() > kMaxCheckpoints)
        list.removeFirst();
}

std::optional<SenderKeyCheckpoint> pick(
    const QList<SenderKeyCheckpoint>& list, std::uint32_t keyId, std::uint32_t iteration, const QString& device)
{
    std::optional<SenderKeyCheckpoint> best;
    for (const auto& c : list)
        if (c.keyId == keyId && c.iteration <= iteration && c.devices.contains(device)
            && (!best || c.iteration > best->iteration))
            best = c;
    return best;
}

} // namespace checkpoints

KeyRequestVerdict checkKeyRequest(
    bool isGroup, bool wePost, const QStringList& memberUsers, const QString& requesterUser)
{
    if (!isGroup)
        return KeyRequestVerdict::NotAGroup;
    if (!wePost)
        return KeyRequestVerdict::NoOwnKey;
    if (requesterUser.isEmpty() || !memberUsers.contains(requesterUser))
        return KeyRequestVerdict::NotAMember;
    return KeyRequestVerdict::Answer;
}

} // namespace tenchat::core::messaging
