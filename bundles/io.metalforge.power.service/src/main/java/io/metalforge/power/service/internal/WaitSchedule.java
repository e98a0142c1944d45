package io.metalforge.power.service.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pauses between attempts of a power operation. MAAS waits 1, 2, 2, 4, 6, 8 and 12 s: one attempt per pause,
 * about 35 s in all before it gives up.
 */
record WaitSchedule(List<Duration> waits) {

    static final String MAAS = "1,2,2,4,6,8,12";

    WaitSchedule {
        if (waits.isEmpty() || waits.size() > 50) {
            throw new IllegalArgumentException("a wait schedule has 1 to 50 pauses");
        }
        waits = List.copyOf(waits);
    }

    /** Parses comma-separated seconds, decimals allowed ("1,2,2" or "0.01,0.02"). */
    static WaitSchedule parse(String seconds) {
        List<Duration> waits = new ArrayList<>();
        for (String part : seconds.split(",")) {
            BigDecimal value = new BigDecimal(part.trim());
            if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(600)) > 0) {
                throw new IllegalArgumentException("waits are between 0 and 600 s, not " + part.trim());
            }
            waits.add(Duration.ofNanos(value.movePointRight(9).longValueExact()));
        }
        return new WaitSchedule(waits);
    }

    int attempts() {
        return waits.size();
    }

    Duration after(int attempt) {
        return waits.get(attempt);
    }
}
