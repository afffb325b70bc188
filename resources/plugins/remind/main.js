// SPDX-License-Identifier: GPL-3.0-or-later
// Reminders with a timer. Pending reminders are kept in storage so that they
// survive a restart: at start-up each is armed again (overdue ones at once).
var UNITS = { s: 1000, m: 60000, h: 3600000, d: 86400000 };
var MAX_DELAY = 24 * 86400000;

function arm(id, reminder) {
    var delay = Math.max(0, reminder.due - Date.now());
    tenchat.setTimeout(function () {
        tenchat.storage.remove(id);
        tenchat.messages.send(reminder.conversationId, "⏰ Reminder: " + reminder.text);
    }, Math.min(delay, MAX_DELAY));
}

tenchat.on("command", function (command) {
    var match = /^([0-9]{1,6})([smhd])\s+([\s\S]+)$/.exec(command.args);
    if (!match) {
        tenchat.messages.send(command.conversationId, "Usage: /remind DELAY TEXT (DELAY like 90s, 10m, 2h, 1d)");
        return;
    }
    var delay = parseInt(match[1], 10) * UNITS[match[2]];
    if (delay > MAX_DELAY) {
        tenchat.messages.send(command.conversationId, "Reminders can be at most 24 days ahead.");
        return;
    }
    var reminder = { conversationId: command.conversationId, text: match[3].slice(0, 1000), due: Date.now() + delay };
    var id = "reminder:" + reminder.due + ":" + Math.floor(Math.random() * 1e9);
    tenchat.storage.set(id, reminder);
    arm(id, reminder);
    tenchat.messages.send(command.conversationId, "OK, I will remind you in " + match[1] + match[2] + ".");
});

var keys = tenchat.storage.keys();
for (var i = 0; i < keys.length; ++i)
    if (keys[i].indexOf("reminder:") === 0)
        arm(keys[i], tenchat.storage.get(keys[i]));
