package io.wsreactor.handshake;

import static io.wsreactor.handshake.ProxyHeaders.ascii;
import static io.wsreactor.handshake.ProxyHeaders.concat;
import static io.wsreactor.handshake.ProxyHeaders.inet6Block;
import static io.wsreactor.handshake.ProxyHeaders.inetBlock;
import static io.wsreactor.handshake.ProxyHeaders.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PROXY protocol parser: what it accepts, where it leaves the buffer, and every rejection. */
class ProxyProtocolParserTest {
    private static final int MAX = 512;
    private static final byte[] REQUEST = ascii("GET / HTTP/1.1\r\n");

    static ProxyHeader parseWhole(boolean required, byte[] bytes) throws ProxyProtocolException {
        return new ProxyProtocolParser(required, MAX).parse(ByteBuffer.wrap(bytes));
    }

    private static ProxyProtocolException rejected(byte[] bytes) {
        return assertThrows(ProxyProtocolException.class, () -> parseWhole(true, bytes));
    }

    private static InetSocketAddress address(String host, int port) throws Exception {
        return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
    }

    // ---- version 1 accepted ----

    @Test
    void readsTcp4LineAndLeavesTheRequestInTheBuffer() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(concat(ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n"), REQUEST));
        ProxyHeader header = new ProxyProtocolParser(true, MAX).parse(in);
        assertEquals(new ProxyHeader(1, address("192.0.2.1", 56324), address("198.51.100.7", 443)), header);
        assertEquals(REQUEST.length, in.remaining());
        assertEquals('G', in.get(in.position()));
    }

    @Test
    void readsTcp6Line() throws Exception {
        ProxyHeader header = parseWhole(true, ascii("PROXY TCP6 2001:db8::1 ::ffff:192.0.2.9 1 65535\r\n"));
        assertEquals(address("2001:db8::1", 1), header.source());
        assertEquals(address("::ffff:192.0.2.9", 65535), header.destination());
    }

    @Test
    void readsTheLongestTcp6LineOf107Bytes() throws Exception {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        byte[] line = ascii("PROXY TCP6 " + full + " " + full + " 65535 65535\r\n");
        assertEquals(104, line.length); // the specification's 107 also counts a longer "PROXY UNKNOWN" form
        assertTrue(parseWhole(true, line).hasAddresses());
    }

    @Test
    void readsUnknownWithoutAddresses() throws Exception {
        ProxyHeader header = parseWhole(true, ascii("PROXY UNKNOWN\r\n"));
        assertEquals(1, header.version());
        assertFalse(header.hasAddresses());
    }

    @Test
    void ignoresWhateverFollowsUnknown() throws Exception {
        assertFalse(parseWhole(true, ascii("PROXY UNKNOWN ff:: \t\u00ff anything\r\n")).hasAddresses());
    }

    @Test
    void readsALineSplitAtEveryByte() throws Exception {
        byte[] bytes = concat(ascii("PROXY TCP4 10.0.0.1 10.0.0.2 1000 2000\r\n"), REQUEST);
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        ProxyHeader header = null;
        int i = 0;
        while (header == null) {
            ByteBuffer one = ByteBuffer.wrap(bytes, i++, 1);
            header = parser.parse(one);
            if (header != null) {
                assertFalse(one.hasRemaining());
            }
        }
        assertEquals(bytes.length - REQUEST.length, i);
        assertEquals(address("10.0.0.1", 1000), header.source());
    }

    // ---- version 1 rejected ----

    @Test
    void rejectsLineFeedWithoutCarriageReturn() {
        rejected(ascii("PROXY TCP4 192.0.2.1 198.51.100.7 1 2\n"));
    }

    @Test
    void rejectsNoLineEndWithin107Bytes() {
        ProxyProtocolException e = rejected(ascii("PROXY UNKNOWN " + "x".repeat(200)));
        assertTrue(e.getMessage().contains("107"), e.getMessage());
    }

    @Test
    void rejectsLineEndAfterByte107() {
        byte[] line = ascii("PROXY UNKNOWN " + "x".repeat(92) + "\r\n");
        assertEquals(108, line.length);
        rejected(line);
    }

    @Test
    void acceptsLineEndAtByte107() throws Exception {
        byte[] line = ascii("PROXY UNKNOWN " + "x".repeat(91) + "\r\n");
        assertEquals(107, line.length);
        assertEquals(1, parseWhole(true, line).version());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY UDP4 192.0.2.1 198.51.100.7 1 2\r\n",
        "PROXY tcp4 192.0.2.1 198.51.100.7 1 2\r\n",
        "PROXY  TCP4 192.0.2.1 198.51.100.7 1 2\r\n",
        "PROXY \r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1 2 3\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1 2 \r\n",
        "PROXY TCP4 192.0.2.1  198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2.1\t198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1 2\r\r\n",
        "PROXY TCP4 2001:db8::1 198.51.100.7 1 2\r\n",
        "PROXY TCP6 192.0.2.1 2001:db8::2 1 2\r\n",
        "PROXY TCP4 256.0.2.1 198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.02.1 198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2 198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2.1.5 198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2.-1 198.51.100.7 1 2\r\n",
        "PROXY TCP4 localhost 198.51.100.7 1 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 65536 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 01 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1 +2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1 \r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.7 1 99999999999\r\n",
        "PROXY TCP6 2001:db8:::1 ::1 1 2\r\n",
        "PROXY TCP6 2001:db8::1::2 ::1 1 2\r\n",
        "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n",
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n",
        "PROXY TCP6 12345::1 ::1 1 2\r\n",
        "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",
        "PROXY TCP6 [::1] ::1 1 2\r\n",
        "PROXY TCP6 g::1 ::1 1 2\r\n",
        "PROXY TCP6 1.2.3.4::1 ::1 1 2\r\n",
        "PROXY TCP6 :1 ::1 1 2\r\n",
        "PROXY TCP6 1: ::1 1 2\r\n",
    })
    void rejectsMalformedVersion1Line(String line) {
        rejected(ascii(line));
    }

    @Test
    void rejectsNonAsciiByteInAnAddressLine() {
        rejected(ascii("PROXY TCP4 192.0.2.1 198.51.100.7 1 2\u00e9\r\n"));
    }

    @Test
    void rejectsFullwidthDigitsInAnIpv6Group() {
        rejected("PROXY TCP6 \uff11::1 ::1 1 2\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---- version 2 accepted ----

    @Test
    void readsV2InetAndLeavesTheRequestInTheBuffer() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(concat(v2(0x21, 0x11, inetBlock(new byte[0])), REQUEST));
        ProxyHeader header = new ProxyProtocolParser(true, MAX).parse(in);
        assertEquals(new ProxyHeader(2, address("192.0.2.1", 56324), address("198.51.100.7", 443)), header);
        assertEquals(REQUEST.length, in.remaining());
    }

    @Test
    void readsV2Inet6() throws Exception {
        ProxyHeader header = parseWhole(true, v2(0x21, 0x21, inet6Block()));
        assertEquals(address("2001:db8::1", 1234), header.source());
        assertEquals(address("2001:db8::2", 443), header.destination());
    }

    @Test
    void skipsTlvsAfterTheAddresses() throws Exception {
        byte[] tlvs = {0x04, 0x00, 0x02, 'h', 'i', (byte) 0xEE, 0x00, 0x00};
        ByteBuffer in = ByteBuffer.wrap(concat(v2(0x21, 0x11, inetBlock(tlvs)), REQUEST));
        assertEquals(address("192.0.2.1", 56324), new ProxyProtocolParser(true, MAX).parse(in).source());
        assertEquals(REQUEST.length, in.remaining());
    }

    @Test
    void readsV2OverDatagramTransport() throws Exception {
        assertTrue(parseWhole(true, v2(0x21, 0x12, inetBlock(new byte[0]))).hasAddresses());
    }

    @Test
    void readsV2LocalWithoutAddressesWhateverTheFamily() throws Exception {
        ProxyHeader header = parseWhole(true, v2(0x20, 0xFF, new byte[3]));
        assertEquals(2, header.version());
        assertFalse(header.hasAddresses());
    }

    @Test
    void readsV2UnspecifiedFamilyWithoutAddresses() throws Exception {
        assertFalse(parseWhole(true, v2(0x21, 0x00, new byte[0])).hasAddresses());
    }

    @Test
    void readsV2UnixFamilyWithoutAddresses() throws Exception {
        assertFalse(parseWhole(true, v2(0x21, 0x31, new byte[216])).hasAddresses());
    }

    @Test
    void readsV2HeaderOfExactlyMaxBytes() throws Exception {
        byte[] header = v2(0x21, 0x11, inetBlock(new byte[MAX - 16 - 12]));
        assertEquals(MAX, header.length);
        assertTrue(parseWhole(true, header).hasAddresses());
    }

    @Test
    void readsV2SplitAtEveryByte() throws Exception {
        byte[] bytes = concat(v2(0x21, 0x21, inet6Block()), REQUEST);
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        ProxyHeader header = null;
        int i = 0;
        while (header == null) {
            header = parser.parse(ByteBuffer.wrap(bytes, i++, 1));
        }
        assertEquals(bytes.length - REQUEST.length, i);
        assertEquals(address("2001:db8::1", 1234), header.source());
    }

    // ---- version 2 rejected ----

    @ParameterizedTest
    @ValueSource(ints = {0x11, 0x31, 0x01, 0xF1})
    void rejectsV2SignatureWithAnotherVersion(int versionAndCommand) {
        rejected(v2(versionAndCommand, 0x11, inetBlock(new byte[0])));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x22, 0x2F})
    void rejectsV2CommandOtherThanLocalOrProxy(int versionAndCommand) {
        rejected(v2(versionAndCommand, 0x11, inetBlock(new byte[0])));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x10, 0x13, 0x20, 0x23, 0x30, 0x41, 0xFF})
    void rejectsV2UndefinedFamilyAndTransport(int family) {
        rejected(v2(0x21, family, inetBlock(new byte[40])));
    }

    @Test
    void rejectsV2InetBlockShorterThan12() {
        rejected(v2(0x21, 0x11, new byte[11]));
    }

    @Test
    void rejectsV2Inet6BlockShorterThan36() {
        rejected(v2(0x21, 0x21, new byte[35]));
    }

    @Test
    void rejectsV2UnixBlockShorterThan216() {
        rejected(v2(0x21, 0x31, new byte[215]));
    }

    @Test
    void rejectsV2LongerThanMaxBytesAsSoonAsItsLengthIsRead() {
        byte[] fixed = v2(0x21, 0x11, MAX - 16 + 1, new byte[0]);
        assertEquals(16, fixed.length);
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        ByteBuffer in = ByteBuffer.wrap(fixed);
        assertThrows(ProxyProtocolException.class, () -> parser.parse(in));
    }

    // ---- no header ----

    @Test
    void requiredRejectsAnHttpRequestAtItsFirstByte() {
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        assertThrows(ProxyProtocolException.class, () -> parser.parse(ByteBuffer.wrap(ascii("G"))));
    }

    @Test
    void requiredRejectsAPrefixThatThenDiverges() throws Exception {
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        assertNull(parser.parse(ByteBuffer.wrap(ascii("PRO"))));
        assertThrows(ProxyProtocolException.class, () -> parser.parse(ByteBuffer.wrap(ascii("XX"))));
    }

    @Test
    void requiredRejectsLowercaseProxy() {
        rejected(ascii("proxy TCP4 192.0.2.1 198.51.100.7 1 2\r\n"));
    }

    @Test
    void requiredRejectsAnEmptyLineThatIsNotTheV2Signature() {
        rejected(ascii("\r\n\r\nGET / HTTP/1.1\r\n"));
    }

    @Test
    void optionalGivesNoneAndLeavesTheBufferWhereItWas() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(REQUEST);
        assertSame(ProxyHeader.NONE, new ProxyProtocolParser(false, MAX).parse(in));
        assertEquals(0, in.position());
    }

    @Test
    void optionalReplaysTheBytesOfEarlierCallsWhenTheyWereNoHeader() throws Exception {
        ProxyProtocolParser parser = new ProxyProtocolParser(false, MAX);
        assertNull(parser.parse(ByteBuffer.wrap(ascii("P"))));
        assertNull(parser.parse(ByteBuffer.wrap(ascii("R"))));
        ByteBuffer rest = ByteBuffer.wrap(ascii("OPFIND / HTTP/1.1\r\n"));
        assertSame(ProxyHeader.NONE, parser.parse(rest));
        assertEquals(0, rest.position());
        assertEquals(ByteBuffer.wrap(ascii("PR")), parser.replay());
    }

    @Test
    void optionalStillRejectsAMalformedHeader() {
        ProxyProtocolParser parser = new ProxyProtocolParser(false, MAX);
        assertThrows(ProxyProtocolException.class,
                () -> parser.parse(ByteBuffer.wrap(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"))));
    }

    @Test
    void optionalReadsAHeaderWhenThereIsOne() throws Exception {
        assertEquals(2, parseWhole(false, v2(0x20, 0x00, new byte[0])).version());
    }

    @Test
    void replayIsEmptyAfterAHeader() throws Exception {
        ProxyProtocolParser parser = new ProxyProtocolParser(false, MAX);
        parser.parse(ByteBuffer.wrap(ascii("PROXY UNKNOWN\r\n")));
        assertEquals(0, parser.replay().remaining());
    }

    // ---- the parser's own state ----

    @Test
    void refusesToParseAgainAfterAHeader() throws Exception {
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        parser.parse(ByteBuffer.wrap(ascii("PROXY UNKNOWN\r\n")));
        assertThrows(IllegalStateException.class, () -> parser.parse(ByteBuffer.wrap(REQUEST)));
    }

    @Test
    void refusesToParseAgainAfterARejection() {
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        assertThrows(ProxyProtocolException.class, () -> parser.parse(ByteBuffer.wrap(REQUEST)));
        assertThrows(IllegalStateException.class, () -> parser.parse(ByteBuffer.wrap(REQUEST)));
    }

    @Test
    void keepsNothingOnceDone() throws Exception {
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        assertNull(parser.parse(ByteBuffer.wrap(ascii("PROXY TCP4 "))));
        assertTrue(parser.retainedBytes() > 0);
        parser.parse(ByteBuffer.wrap(ascii("1.2.3.4 5.6.7.8 1 2\r\n")));
        assertEquals(0, parser.retainedBytes());
    }

    @Test
    void sizesItsSpillForTheWholeV2HeaderOnceTheLengthIsRead() throws Exception {
        byte[] header = v2(0x21, 0x11, inetBlock(new byte[300]));
        ProxyProtocolParser parser = new ProxyProtocolParser(true, MAX);
        for (int i = 0; i < 130; i++) { // past the first 128-byte array
            assertNull(parser.parse(ByteBuffer.wrap(header, i, 1)));
        }
        assertEquals(header.length, parser.retainedBytes());
    }

    @Test
    void refusesMaxBytesBelowAUnixV2Header() {
        assertThrows(IllegalArgumentException.class,
                () -> new ProxyProtocolParser(true, ProxyProtocolParser.MIN_MAX_BYTES - 1));
    }

    @Test
    void headerRecordRefusesOnlyOneAddress() throws Exception {
        InetSocketAddress one = address("192.0.2.1", 1);
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeader(1, one, null));
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeader(3, null, null));
    }
}
