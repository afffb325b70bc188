// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace tenchat::relay {

// Entry point of the tenchat-relay executable: parses the command line,
// starts the server and runs the event loop. Returns the process exit code.
int runRelayMain(int argc, char** argv);

} // namespace tenchat::relay
