<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!-- English plural forms: the source strings are English, but "%n file(s)"
     needs a translation to read "1 file" / "3 files". Only numerus
     messages are listed; every other string falls back to its source. -->
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ChatPage</name>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation><numerusform>%n member</numerusform><numerusform>%n members</numerusform></translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation><numerusform>%1, %n unread</numerusform><numerusform>%1, %n unread</numerusform></translation>
    </message>
</context>
<context>
    <name>StoragePage</name>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation><numerusform>%n file, %1</numerusform><numerusform>%n files, %1</numerusform></translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>TenChat — %n unread message(s)</source>
        <translation><numerusform>TenChat — %n unread message</numerusform><numerusform>TenChat — %n unread messages</numerusform></translation>
    </message>
</context>
<context>
    <name>tenchat::ui::ChatController</name>
    <message numerus="yes">
        <source>Asked a moment ago. You can ask again in %n minute(s).</source>
        <translation><numerusform>Asked a moment ago. You can ask again in %n minute.</numerusform><numerusform>Asked a moment ago. You can ask again in %n minutes.</numerusform></translation>
    </message>
</context>
<context>
    <name>tenchat::ui::PluginListModel</name>
    <message numerus="yes">
        <source>Only in %n conversation(s)</source>
        <translation><numerusform>Only in %n conversation</numerusform><numerusform>Only in %n conversations</numerusform></translation>
    </message>
</context>
</TS>
