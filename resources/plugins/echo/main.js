// SPDX-License-Identifier: GPL-3.0-or-later
// Echo bot: repeats incoming text messages. Messages that are echoes already
// are left alone, so two echo bots do not talk to each other forever.
tenchat.on("message", function (message) {
    if (message.outgoing || message.contentType !== "text/plain" || !message.body)
        return;
    if (message.body.indexOf("echo: ") === 0)
        return;
    tenchat.messages.send(message.conversationId, "echo: " + message.body);
});
