package io.metalforge.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.metalforge.api.http.ApiException;

class CommandUsageTest {

    private static final CommandUsage SELECT = CommandUsage.of("metalforge:bootselect",
            "<source id> <os> <release> [arch...]");
    private static final CommandUsage ADD = CommandUsage.of("metalforge:bootsourceadd",
            "<url|stable|candidate> [priority] [keyring file|skip]", "stable and candidate are the MAAS streams.");

    @Test
    void aBareCallIsTheUsageWithItsNote() {
        assertEquals("Usage: metalforge:bootsourceadd <url|stable|candidate> [priority] [keyring file|skip]\n"
                + "  stable and candidate are the MAAS streams.", ADD.misuse());
        assertEquals(ADD.text(), ADD.toString());
    }

    @Test
    void aShortCallNamesWhatIsMissing() {
        assertEquals("metalforge:bootselect needs <os> <release>.\n" + SELECT.text(), SELECT.misuse("1"));
        assertEquals("metalforge:bootselect needs <release>.\n" + SELECT.text(), SELECT.misuse("1", "ubuntu"));
    }

    @Test
    void tooManyArgumentsAreCountedUnlessTheLastParameterRepeats() {
        assertEquals("metalforge:bootsourceadd takes at most 3 arguments, not 4.\n" + ADD.text(),
                ADD.misuse("stable", "1", "skip", "extra"));
        assertEquals(SELECT.text(), SELECT.misuse("1", "ubuntu", "noble", "amd64", "arm64"));
        assertEquals("metalforge:log takes at most 1 argument, not 2.\nUsage: metalforge:log [lines]",
                CommandUsage.of("metalforge:log", "[lines]").misuse("1", "2"));
    }

    @Test
    void aRefusalPrecedesTheUsage() {
        assertEquals("Not a priority: high\n" + ADD.text(), ADD.refuse("Not a priority: high"));
    }

    @Test
    void apiRefusalsReadAsOneLinePerField() {
        assertEquals("No such boot source.", Refusals.of(ApiException.notFound("No such boot source.")));
        assertEquals("\n  priority: Enter a whole number. Too big.", Refusals.of(ApiException.validation(
                Map.of("priority", List.of("Enter a whole number.", "Too big.")))));
    }
}
