package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What the terminal receives, byte for byte, when lines and a progress line share it. */
class TerminalConsoleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TerminalConsole console = new TerminalConsole(new PrintStream(out, true, StandardCharsets.UTF_8));

    @Test
    void aLinePrintedDuringProgressGoesAboveItAndTheBarIsRedrawn() {
        console.println("metalforge ready in 900 ms");
        console.progress("[##......]  25%");
        console.println("WARNING x");
        console.progress("[####....]  50%");
        console.endProgress();
        console.println("done");

        assertEquals("metalforge ready in 900 ms\n"
                + "\r[##......]  25%"
                + "\rWARNING x      \n[##......]  25%"
                + "\r[####....]  50%"
                + "\n"
                + "done\n", out.toString(StandardCharsets.UTF_8));
        // what a terminal shows: each \r returns to the start of the row, so the rows read
        assertEquals("metalforge ready in 900 ms\nWARNING x\n[####....]  50%\ndone", screen());
    }

    @Test
    void aShorterProgressLineCoversTheLongerOne() {
        console.progress("[#.......]  12%  1.0 GiB of 8.0 GiB  99.0 MiB/s");
        console.progress("[##......]  25%  2.0 GiB of 8.0 GiB  9 B/s");
        assertEquals("[##......]  25%  2.0 GiB of 8.0 GiB  9 B/s", screen());
    }

    /** Replays carriage returns and newlines as a terminal would, trailing spaces trimmed per row. */
    private String screen() {
        StringBuilder screen = new StringBuilder();
        StringBuilder row = new StringBuilder();
        int col = 0;
        for (char c : out.toString(StandardCharsets.UTF_8).toCharArray()) {
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                screen.append(row.toString().stripTrailing()).append('\n');
                row.setLength(0);
                col = 0;
            } else {
                if (col < row.length()) {
                    row.setCharAt(col, c);
                } else {
                    row.append(c);
                }
                col++;
            }
        }
        screen.append(row.toString().stripTrailing());
        return screen.toString().stripTrailing();
    }
}
