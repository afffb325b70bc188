// SPDX-License-Identifier: GPL-3.0-or-later
#include "Bootstrap.h"

namespace tenchat::core::plugins {

// Rules for this code: the bridge is only ever used as `bridge.method(...)`
// with primitive arguments, never passed to or reachable from plugin-owned
// functions (no .apply/.call, no prototype methods on objects holding it), so
// that nothing the plugin overrides (Function.prototype, JSON, Array methods)
// can capture it.
QString bootstrapScript()
{
    return QStringLiteral(R"JS(
(function (bridge, global, info) {
    "use strict";
    var handlers = Object.create(null);
    var renderers = Object.create(null);
    var results = Object.create(null);
    var timers = Object.create(null);
    function fn(f, what) {
        if (typeof f !== "function")
            throw new TypeError(what + " must be a function");
        return f;
    }
    function str(v) { return v === undefined || v === null ? "" : String(v); }
    var messages = Object.freeze({
        send: function (conversationId, text, options, callback) {
            if (typeof options === "function") { callback = options; options = undefined; }
            options = options || {};
            var id = bridge.send(str(conversationId), str(text), str(options.contentType), str(options.replyTo),
                typeof callback === "function");
            if (typeof callback === "function") results[id] = callback;
            return id;
        },
        edit: function (messageId, text, callback) {
            var id = bridge.edit(str(messageId), str(text), typeof callback === "function");
            if (typeof callback === "function") results[id] = callback;
            return id;
        },
        react: function (messageId, emoji, remove, callback) {
            if (typeof remove === "function") { callback = remove; remove = false; }
            var id = bridge.react(str(messageId), str(emoji), remove === true, typeof callback === "function");
            if (typeof callback === "function") results[id] = callback;
            return id;
        }
    });
    var storage = Object.freeze({
        get: function (key) {
            var raw = bridge.storageGet(str(key));
            return raw === undefined ? undefined : JSON.parse(raw);
        },
        set: function (key, value) {
            var json = JSON.stringify(value);
            if (typeof json !== "string") throw new TypeError("storage values must be JSON-serialisable");
            bridge.storageSet(str(key), json);
        },
        remove: function (key) { bridge.storageRemove(str(key)); },
        keys: function () { return bridge.storageKeys(); }
    });
    var permissions = Object.freeze({
        has: function (capability) { return bridge.has(str(capability)); },
        list: function () { return bridge.granted(); }
    });
    var api = Object.freeze({
        plugin: Object.freeze({ name: info.name, version: info.version }),
        on: function (event, handler) {
            bridge.on(str(event));
            handlers[str(event)] = fn(handler, "handler");
        },
        renderer: function (contentType, render) {
            bridge.registerRenderer(str(contentType));
            renderers[str(contentType)] = fn(render, "renderer");
        },
        log: function () {
            var text = "";
            for (var i = 0; i < arguments.length; ++i) text += (i ? " " : "") + str(arguments[i]);
            bridge.log(text);
        },
        setTimeout: function (callback, delayMs) {
            fn(callback, "callback");
            var id = bridge.setTimer(Number(delayMs) || 0);
            timers[id] = callback;
            return id;
        },
        clearTimeout: function (id) {
            bridge.clearTimer(Number(id) || 0);
            delete timers[id];
        },
        messages: messages,
        storage: storage,
        permissions: permissions
    });
    Object.defineProperty(global, "tenchat", { value: api, writable: false, enumerable: true, configurable: false });
    return function dispatch(kind, payload) {
        var f;
        if (kind === "result") {
            f = results[payload.requestId];
            delete results[payload.requestId];
            if (f) f(payload.error ? payload.error : null, payload.messageId);
            return undefined;
        }
        if (kind === "timer") {
            f = timers[payload.id];
            delete timers[payload.id];
            if (f) f();
            return undefined;
        }
        if (kind === "render") {
            f = renderers[payload.contentType];
            if (!f) return undefined;
            var data = null;
            try { data = JSON.parse(payload.body); } catch (e) { data = null; }
            var card = f(data, payload.context);
            return JSON.stringify(card);
        }
        f = handlers[kind];
        if (f) f(payload);
        return undefined;
    };
})
)JS");
}

} // namespace tenchat::core::plugins
