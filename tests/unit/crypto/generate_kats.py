#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Known answers for KnownAnswerTest.cpp, computed independently of libsodium.

Argon2id comes from pyca/cryptography (OpenSSL's Argon2). The XChaCha20-
Poly1305 secretstream is rebuilt from its specification (libsodium's
documentation of crypto_secretstream_xchacha20poly1305) on top of
cryptography's ChaCha20 and Poly1305, with HChaCha20 written out here and
checked against the draft-irtf-cfrg-xchacha test vector. Run it to print the
vectors; the test hard-codes its output.
"""
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.poly1305 import Poly1305

MASK = 0xFFFFFFFF


def rotl(v, c):
    return ((v << c) & MASK) | (v >> (32 - c))


def quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & MASK; s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & MASK; s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & MASK; s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & MASK; s[b] = rotl(s[b] ^ s[c], 7)


def hchacha20(key, nonce16):
    s = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    s += list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    for _ in range(10):
        quarter(s, 0, 4, 8, 12); quarter(s, 1, 5, 9, 13); quarter(s, 2, 6, 10, 14); quarter(s, 3, 7, 11, 15)
        quarter(s, 0, 5, 10, 15); quarter(s, 1, 6, 11, 12); quarter(s, 2, 7, 8, 13); quarter(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def chacha20_ietf(key, nonce12, counter, data):
    enc = Cipher(algorithms.ChaCha20(key, struct.pack("<I", counter) + nonce12), mode=None).encryptor()
    return enc.update(data)


class SecretStreamPush:
    def __init__(self, key, header):
        self.k = hchacha20(key, header[:16])
        self.counter = 1
        self.inonce = bytearray(header[16:24])
        self.rekeyed = False

    def nonce(self):
        return struct.pack("<I", self.counter) + bytes(self.inonce)

    def push(self, message, tag, ad=b""):
        assert not self.rekeyed, "rekey not modelled: FINAL (which rekeys) must be the last chunk"
        block0 = chacha20_ietf(self.k, self.nonce(), 0, bytes(64))
        mac = Poly1305(block0[:32])
        mac.update(ad + bytes((0x10 - len(ad)) & 0xF))
        block = chacha20_ietf(self.k, self.nonce(), 1, bytes([tag]) + bytes(63))
        mac.update(block)
        c = chacha20_ietf(self.k, self.nonce(), 2, message)
        # The construction pads with (0x10 - 64 + mlen) & 0xf zero bytes here
        # (not the AEAD-style pad of 64 + mlen): frozen in the format.
        mac.update(c + bytes((0x10 - 64 + len(message)) & 0xF))
        mac.update(struct.pack("<Q", len(ad)) + struct.pack("<Q", 64 + len(message)))
        tag_bytes = mac.finalize()
        for i in range(8):
            self.inonce[i] ^= tag_bytes[i]
        self.counter = (self.counter + 1) & MASK
        self.rekeyed = bool(tag & 2) or self.counter == 0
        return bytes([block[0]]) + c + tag_bytes


def main():
    # draft-irtf-cfrg-xchacha-03, section 2.2.1.
    assert hchacha20(bytes(range(32)), bytes.fromhex("000000090000004a0000000031415927")).hex() == (
        "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc")

    for password, salt, t, m_kib, length in [
        (b"correct horse battery staple", bytes(range(16)), 1, 8192, 32),
        ("TenChat passphrase \u2713".encode(), b"tenchat-salt-16b", 3, 65536, 32),
        (b"", bytes([0xAA] * 16), 2, 8192, 64),
    ]:
        out = Argon2id(salt=salt, length=length, iterations=t, lanes=1, memory_cost=m_kib).derive(password)
        print("argon2id", password.hex(), salt.hex(), t, m_kib, out.hex())

    key = bytes(range(0x20, 0x40))
    header = bytes(range(0x80, 0x98))
    stream = SecretStreamPush(key, header)
    chunks = [(b"first chunk of a media file", 0, b""), (b"", 0, b"ad"), (bytes(range(200)), 1, b""),
              (b"last", 3, b"trailer")]
    print("secretstream key", key.hex(), "header", header.hex())
    for message, tag, ad in chunks:
        print("chunk", message.hex(), tag, ad.hex(), stream.push(message, tag, ad).hex())


if __name__ == "__main__":
    main()
