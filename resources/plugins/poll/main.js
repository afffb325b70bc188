// SPDX-License-Identifier: GPL-3.0-or-later
// Polls. The client that runs /poll owns the poll: it keeps the votes in its
// storage and edits the poll message whenever a vote arrives, so every member
// sees the live counts. Other members vote with the card's buttons (their own
// poll plugin sends "/vote ID N") or by typing /vote.
var TYPE = "application/vnd.tenchat.poll+json";
var MAX_OPTIONS = 10;

function trimmed(list) {
    var out = [];
    for (var i = 0; i < list.length; ++i) {
        var s = list[i].trim();
        if (s.length > 0)
            out.push(s.slice(0, 100));
    }
    return out;
}

function body(poll) {
    var lines = [];
    for (var i = 0; i < poll.options.length; ++i)
        lines.push((i + 1) + ") " + poll.options[i] + ": " + poll.counts[i]);
    return JSON.stringify({
        question: poll.question,
        options: poll.options,
        counts: poll.counts,
        fallback: "Poll: " + poll.question + "\n" + lines.join("\n") + "\nVote with /vote N"
    });
}

function startPoll(command) {
    var parts = trimmed(command.args.split("|"));
    if (parts.length < 3) {
        tenchat.messages.send(command.conversationId, "Usage: /poll Question | Option 1 | Option 2 [| ...]");
        return;
    }
    var poll = { question: parts[0].slice(0, 200), options: parts.slice(1, 1 + MAX_OPTIONS), counts: [], votes: {} };
    for (var i = 0; i < poll.options.length; ++i)
        poll.counts.push(0);
    tenchat.messages.send(command.conversationId, body(poll), { contentType: TYPE }, function (error, messageId) {
        if (error) {
            tenchat.log("the poll was not sent: " + error);
            return;
        }
        tenchat.storage.set("poll:" + messageId, poll);
        tenchat.storage.set("latest:" + command.conversationId, messageId);
    });
}

function vote(conversationId, pollId, choice, voter) {
    var poll = pollId ? tenchat.storage.get("poll:" + pollId) : undefined;
    if (!poll)
        return false; // not a poll of this client: its owner counts it
    if (!(choice >= 1 && choice <= poll.options.length))
        return true;
    var previous = poll.votes[voter];
    if (previous === choice - 1)
        return true;
    if (previous !== undefined)
        poll.counts[previous] -= 1;
    poll.votes[voter] = choice - 1;
    poll.counts[choice - 1] += 1;
    tenchat.storage.set("poll:" + pollId, poll);
    tenchat.messages.edit(pollId, body(poll));
    return true;
}

tenchat.on("command", function (command) {
    if (command.name === "poll")
        return startPoll(command);
    var args = command.args.split(/\s+/);
    var pollId = args.length >= 2 ? args[0] : tenchat.storage.get("latest:" + command.conversationId);
    var choice = parseInt(args.length >= 2 ? args[1] : args[0], 10);
    vote(command.conversationId, pollId, choice, command.outgoing ? "@me" : command.sender);
});

tenchat.renderer(TYPE, function (poll, context) {
    if (!poll || !poll.options || !poll.counts)
        throw new Error("not a poll");
    var total = 0;
    for (var i = 0; i < poll.counts.length; ++i)
        total += poll.counts[i];
    var fields = [];
    var buttons = [];
    for (var j = 0; j < poll.options.length && j < 8; ++j) {
        var n = poll.counts[j] || 0;
        fields.push({ label: String(poll.options[j]), value: n + (n === 1 ? " vote" : " votes"),
            progress: total > 0 ? n / total : 0 });
        buttons.push({ label: String(poll.options[j]).slice(0, 60), action: "vote:" + context.messageId + ":" + (j + 1) });
    }
    return { title: String(poll.question), text: total + (total === 1 ? " vote" : " votes"), fields: fields,
        buttons: buttons };
});

tenchat.on("callback", function (callback) {
    var match = /^vote:([0-9A-Za-z]+):([0-9]+)$/.exec(callback.action);
    if (!match)
        return;
    if (!vote(callback.conversationId, match[1], parseInt(match[2], 10), "@me"))
        tenchat.messages.send(callback.conversationId, "/vote " + match[1] + " " + match[2]);
});
