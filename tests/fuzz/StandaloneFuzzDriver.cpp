// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a libFuzzer-style target without libFuzzer (for GCC builds): every
// file of the seed corpus, then deterministic random mutations of them.
//   fuzzer [--runs N] [CORPUS_DIR ...]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv)
{
    long runs = 10000;
    std::vector<std::vector<std::uint8_t>> seeds;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::strtol(argv[++i], nullptr, 10);
            continue;
        }
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(argv[i], ec)) {
            std::ifstream in(entry.path(), std::ios::binary);
            seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    if (seeds.empty())
        seeds.push_back({});
    for (const auto& seed : seeds)
        LLVMFuzzerTestOneInput(seed.data(), seed.size());

    std::mt19937_64 rng(0x7e11c4a7);
    for (long run = 0; run < runs; ++run) {
        std::vector<std::uint8_t> input = seeds[rng() % seeds.size()];
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            switch (rng() % 4) {
            case 0: // flip a bit
                if (!input.empty())
                    input[rng() % input.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                break;
            case 1: // insert random bytes
                input.insert(input.begin() + static_cast<long>(input.empty() ? 0 : rng() % input.size()),
                    static_cast<std::size_t>(1 + rng() % 16), static_cast<std::uint8_t>(rng()));
                break;
            case 2: // truncate
                if (!input.empty())
                    input.resize(rng() % input.size());
                break;
            default: // overwrite with random
                for (auto& b : input)
                    if (rng() % 16 == 0)
                        b = static_cast<std::uint8_t>(rng());
            }
        }
        LLVMFuzzerTestOneInput(input.data(), input.size());
    }
    std::printf("fuzz driver: %zu seed(s), %ld mutated run(s), no crash\n", seeds.size(), runs);
    return 0;
}
