package io.wsreactor.handshake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builders of PROXY protocol headers for tests. */
final class ProxyHeaders {
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A version 2 header: signature, the version/command and family bytes, the length, then {@code block}. */
    static byte[] v2(int versionAndCommand, int family, byte[] block) {
        return v2(versionAndCommand, family, block.length, block);
    }

    /** A version 2 header whose length field says {@code length}, whatever {@code block} holds. */
    static byte[] v2(int versionAndCommand, int family, int length, byte[] block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionAndCommand);
        out.write(family);
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(block);
        return out.toByteArray();
    }

    /** An INET address block: 192.0.2.1:56324 to 198.51.100.7:443, then {@code extra} bytes (TLVs). */
    static byte[] inetBlock(byte[] extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 192, 0, 2, 1, (byte) 198, 51, 100, 7, (byte) 0xDC, 0x04, 0x01, (byte) 0xBB});
        out.writeBytes(extra);
        return out.toByteArray();
    }

    /** An INET6 address block: [2001:db8::1]:1234 to [2001:db8::2]:443. */
    static byte[] inet6Block() {
        byte[] block = new byte[36];
        block[0] = 0x20;
        block[1] = 0x01;
        block[2] = 0x0D;
        block[3] = (byte) 0xB8;
        block[15] = 1;
        block[16] = 0x20;
        block[17] = 0x01;
        block[18] = 0x0D;
        block[19] = (byte) 0xB8;
        block[31] = 2;
        block[32] = 0x04;
        block[33] = (byte) 0xD2;
        block[34] = 0x01;
        block[35] = (byte) 0xBB;
        return block;
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
