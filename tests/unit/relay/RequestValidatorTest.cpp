// SPDX-License-Identifier: GPL-3.0-or-later
// Field validation of requests and the token bucket of the abuse guard.
#include "RequestValidator.h"
#include "TokenBucket.h"

#include <QTest>

using tenchat::relay::RequestValidator;
using tenchat::relay::TokenBucket;
namespace v1 = tenchat::v1;

class RequestValidatorTest : public QObject {
    Q_OBJECT

private slots:
    void handles()
    {
        QVERIFY(RequestValidator::isValidHandle("alice"));
        QVERIFY(RequestValidator::isValidHandle("a.b-c_9"));
        QVERIFY(!RequestValidator::isValidHandle("ab"));
        QVERIFY(!RequestValidator::isValidHandle("Alice"));
        QVERIFY(!RequestValidator::isValidHandle("with space"));
        QVERIFY(!RequestValidator::isValidHandle(std::string(33, 'a')));
        QVERIFY(!RequestValidator::isValidHandle(std::string("nul\0byte", 8)));
    }

    void emptyRequestIsRefused()
    {
        RequestValidator validator;
        QVERIFY(validator.validate(v1::Request {}).has_value());
    }

    void helloNeedsVersions()
    {
        RequestValidator validator;
        v1::Request r;
        r.mutable_hello();
        QVERIFY(validator.validate(r).has_value());
        r.mutable_hello()->add_versions(1);
        QVERIFY(!validator.validate(r).has_value());
        for (int i = 0; i < 40; ++i)
            r.mutable_hello()->add_features(std::string("feature"));
        QVERIFY(validator.validate(r).has_value());
    }

    void appendShapes()
    {
        RequestValidator validator;
        v1::Request r;
        auto* a = r.mutable_append();
        a->set_conversation_id(std::string(16, 'c'));
        a->set_message_id(std::string(16, 'm'));
        QVERIFY(validator.validate(r).has_value()); // no body
        a->set_sender_key_ciphertext("x");
        QVERIFY(!validator.validate(r).has_value());
        a->set_message_id("short");
        QVERIFY(validator.validate(r).has_value());
        a->set_message_id(std::string(16, 'm'));
        auto* c = a->mutable_device_ciphertexts()->add_ciphertexts();
        c->mutable_device()->set_user_id(std::string(16, 'u'));
        c->mutable_device()->set_device_id(0); // device ids start at 1
        c->set_ciphertext("x");
        QVERIFY(validator.validate(r).has_value());
        c->mutable_device()->set_device_id(1);
        QVERIFY(!validator.validate(r).has_value());
        c->set_ciphertext(std::string((1 << 20) + 1, 'x'));
        QVERIFY(validator.validate(r).has_value());
    }

    void limitsAndCounts()
    {
        RequestValidator validator;
        v1::Request sync;
        sync.mutable_sync()->set_limit(1001);
        QVERIFY(validator.validate(sync).has_value());
        sync.mutable_sync()->set_limit(1000);
        QVERIFY(!validator.validate(sync).has_value());
        v1::Request create;
        create.mutable_create_conversation()->set_kind(v1::CONVERSATION_KIND_DIRECT);
        create.mutable_create_conversation()->add_member_user_ids(std::string(16, 'a'));
        QVERIFY(!validator.validate(create).has_value());
        create.mutable_create_conversation()->add_member_user_ids(std::string(16, 'b'));
        QVERIFY(validator.validate(create).has_value()); // direct: one other member
        create.mutable_create_conversation()->set_kind(static_cast<v1::ConversationKind>(77));
        QVERIFY(validator.validate(create).has_value());
        v1::Request role;
        role.mutable_set_role()->set_conversation_id(std::string(16, 'c'));
        role.mutable_set_role()->set_user_id(std::string(16, 'u'));
        role.mutable_set_role()->set_role(static_cast<v1::Role>(9));
        QVERIFY(validator.validate(role).has_value());
    }

    void tokenBucket()
    {
        TokenBucket bucket(10.0, 3.0, 0);
        QVERIFY(bucket.take(0));
        QVERIFY(bucket.take(0));
        QVERIFY(bucket.take(0));
        QVERIFY(!bucket.take(0));
        QVERIFY(bucket.retryAfterMs() > 0 && bucket.retryAfterMs() <= 101);
        QVERIFY(bucket.take(100)); // 10/s: one token per 100 ms
        QVERIFY(!bucket.take(100));
        QVERIFY(bucket.full(10000));
    }
};

QTEST_GUILESS_MAIN(RequestValidatorTest)
#include "RequestValidatorTest.moc"
