package io.metalforge.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The canonical form is byte for byte what Jackson's mapper writes for the same tree turned into maps with their
 * keys ordered (how the API hash was taken before), so the hash of an unchanged API stays the same; and it does not
 * depend on the order a tree was built in.
 */
class CanonicalJsonTest {

    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static byte[] jackson(JsonNode tree) throws Exception {
        return SORTED.writeValueAsBytes(SORTED.treeToValue(tree, Object.class));
    }

    @Test
    void writesWhatTheSortingMapperWrites() throws Exception {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("zeta", "last key first");
        doc.put("quote\"and\\slash", "tab\there, newline\n, bell\u0007, é, 😀, </script>");
        doc.put("int", 42).put("negative", -7).put("long", 1L << 40).put("double", 1.5).put("tiny", 1e-9)
                .put("big", 1e21).put("yes", true).put("no", false).putNull("nothing");
        ArrayNode list = doc.putArray("handlers");
        list.addObject().put("path", "/MAAS/api/2.0/boot-resources/").put("name", "BootResourcesHandler");
        list.add("text").add(3).addArray().add(false);
        doc.putObject("empty");
        doc.putArray("none");
        assertEquals(new String(jackson(doc), StandardCharsets.UTF_8),
                new String(CanonicalJson.bytes(doc), StandardCharsets.UTF_8));
    }

    @Test
    void randomTreesAgreeWithTheMapperAndWithThemselvesBuiltInAnotherOrder() throws Exception {
        Random random = new Random(20261127);
        for (int i = 0; i < 200; i++) {
            long seed = random.nextLong();
            JsonNode forward = tree(new Random(seed), 4, false);
            JsonNode backward = tree(new Random(seed), 4, true);
            assertArrayEquals(jackson(forward), CanonicalJson.bytes(forward), forward.toString());
            assertArrayEquals(CanonicalJson.bytes(forward), CanonicalJson.bytes(backward), forward.toString());
        }
    }

    /** A random tree; {@code reversed} puts the same fields into each object in the opposite order. */
    private static JsonNode tree(Random r, int depth, boolean reversed) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = depth == 0 ? 2 + r.nextInt(5) : r.nextInt(7);
        switch (kind) {
            case 0: {
                int n = r.nextInt(5);
                String[] keys = new String[n];
                JsonNode[] values = new JsonNode[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = "k" + r.nextInt(1000) + (char) ('a' + r.nextInt(26));
                    values[i] = tree(r, depth - 1, reversed);
                }
                ObjectNode o = f.objectNode();
                for (int i = 0; i < n; i++) {
                    int at = reversed ? n - 1 - i : i;
                    o.set(keys[at], values[at]);
                }
                return o;
            }
            case 1: {
                ArrayNode a = f.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(tree(r, depth - 1, reversed));
                }
                return a;
            }
            case 2: {
                StringBuilder s = new StringBuilder();
                for (int i = r.nextInt(12); i > 0; i--) {
                    switch (r.nextInt(5)) {
                        case 0 -> s.append((char) r.nextInt(0x80));
                        case 1 -> s.appendCodePoint(0x10000 + r.nextInt(0x10000)); // a surrogate pair
                        default -> s.append((char) (0x20 + r.nextInt(0x3000)));
                    }
                }
                return f.textNode(s.toString());
            }
            case 3:
                return f.numberNode(r.nextInt());
            case 4:
                return f.numberNode(r.nextLong());
            case 5:
                return f.booleanNode(r.nextBoolean());
            default:
                return r.nextBoolean() ? f.nullNode() : f.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
        }
    }
}
