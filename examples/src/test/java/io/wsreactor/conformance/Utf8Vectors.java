package io.wsreactor.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The UTF-8 test vectors of Autobahn's cases 6.5–6.23, which follow the sections of Markus Kuhn's "UTF-8 decoder
 * capability and stress test": each section a list of byte strings. Whether each string is valid is decided by
 * {@link Utf8Oracle}, and a test pins that it agrees with the sections' documented verdicts.
 */
final class Utf8Vectors {
    /**
     * One section of vectors.
     *
     * @param number the Autobahn sub-group, for example 12 for cases 6.12.x
     * @param title the section title
     * @param payloads the byte strings, case 6.number.1 first
     */
    record Section(int number, String title, List<byte[]> payloads) {
    }

    static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");

    private Utf8Vectors() {
    }

    static List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section(5, "Some valid UTF-8 sequences", List.of(
                bytes("hello$world"), hex("68656c6c6fc2a2776f726c64"), hex("68656c6c6fe282ac776f726c64"),
                hex("68656c6c6ff0a4ada2776f726c64"), KOSME)));
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 1; i <= KOSME.length; i++) {
            byte[] prefix = new byte[i];
            System.arraycopy(KOSME, 0, prefix, 0, i);
            prefixes.add(prefix);
        }
        sections.add(new Section(6, "All prefixes of a valid UTF-8 string with multi-byte code points", prefixes));
        sections.add(new Section(7, "First possible sequence of a certain length", hexes("00", "c280", "e0a080", "f0908080")));
        sections.add(new Section(8, "First possible sequence of length 5/6 (invalid code points)",
                hexes("f888808080", "fc8480808080")));
        sections.add(new Section(9, "Last possible sequence of a certain length", hexes("7f", "dfbf", "efbfbf", "f48fbfbf")));
        sections.add(new Section(10, "Last possible sequence of length 4/5/6 (invalid code points)",
                hexes("f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf")));
        sections.add(new Section(11, "Other boundary conditions", hexes("ed9fbf", "ee8080", "efbfbd", "f48fbfbf", "f4908080")));
        StringBuilder allContinuations = new StringBuilder();
        for (int b = 0x80; b < 0xBF; b++) {
            allContinuations.append(Integer.toHexString(b));
        }
        sections.add(new Section(12, "Unexpected continuation bytes", hexes("80", "bf", "80bf", "80bf80", "80bf80bf",
                "80bf80bf80", "80bf80bf80bf", allContinuations.toString())));
        List<byte[]> lonely = new ArrayList<>();
        int[][] ranges = {{0xC0, 0xDF}, {0xE0, 0xEF}, {0xF0, 0xF7}, {0xF8, 0xFB}, {0xFC, 0xFD}};
        for (int[] range : ranges) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b = range[0]; b < range[1]; b++) {
                out.write(b);
                out.write(0x20);
            }
            lonely.add(out.toByteArray());
        }
        sections.add(new Section(13, "Lonely start characters", lonely));
        String[] missingLast = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf",
            "fdbfbfbfbf"};
        sections.add(new Section(14, "Sequences with last continuation byte missing", hexes(missingLast)));
        sections.add(new Section(15, "Concatenation of incomplete sequences", List.of(hex(String.join("", missingLast)))));
        sections.add(new Section(16, "Impossible bytes", hexes("fe", "ff", "fefeffff")));
        sections.add(new Section(17, "Examples of an overlong ASCII character",
                hexes("c0af", "e080af", "f08080af", "f8808080af", "fc80808080af")));
        sections.add(new Section(18, "Maximum overlong sequences",
                hexes("c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf")));
        sections.add(new Section(19, "Overlong representation of the NUL character",
                hexes("c080", "e08080", "f0808080", "f880808080", "fc8080808080")));
        sections.add(new Section(20, "Single UTF-16 surrogates",
                hexes("eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf")));
        sections.add(new Section(21, "Paired UTF-16 surrogates", hexes("eda080edb080", "eda080edbfbf", "edadbfedb080",
                "edadbfedbfbf", "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf")));
        List<byte[]> nonCharacters = new ArrayList<>(hexes("efbfbe", "efbfbf"));
        for (String z1 : new String[] {"f0", "f1", "f2", "f3", "f4"}) {
            for (String z2 : new String[] {"8f", "9f", "af", "bf"}) {
                if (z1.equals("f4") && !z2.equals("8f")) {
                    continue; // beyond U+10FFFF
                }
                for (String z3 : new String[] {"be", "bf"}) {
                    if (z1.equals("f0") && z2.equals("8f")) {
                        continue; // overlong
                    }
                    nonCharacters.add(hex(z1 + z2 + "bf" + z3));
                }
            }
        }
        sections.add(new Section(22, "Non-character code points (valid UTF-8)", nonCharacters));
        sections.add(new Section(23, "Unicode specials (replacement character etc.)",
                hexes("efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf")));
        return sections;
    }

    /** Every Unicode scalar value of {@code plane} (0–16) in order, as UTF-8; surrogates are skipped. */
    static byte[] wholePlane(int plane) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(65536 * 4);
        for (int cp = plane << 16; cp < (plane + 1) << 16; cp++) {
            if (cp < 0xD800 || cp > 0xDFFF) {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static List<byte[]> hexes(String... hexes) {
        List<byte[]> list = new ArrayList<>();
        for (String hex : hexes) {
            list.add(hex(hex));
        }
        return list;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
