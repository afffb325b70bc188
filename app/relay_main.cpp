// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-relay: the bundled relay server. All logic lives in relay/.
#include "tenchat/relay/RelayMain.h"

int main(int argc, char** argv)
{
    return tenchat::relay::runRelayMain(argc, argv);
}
