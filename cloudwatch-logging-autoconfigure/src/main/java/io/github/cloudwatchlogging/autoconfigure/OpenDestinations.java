package io.github.cloudwatchlogging.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cloudwatchlogging.shipping.ShipperStatistics;

/**
 * The destinations that placeholders evaluated per event ({mdc:KEY}, {level}) have open now.
 *
 * @param open how many are open, each template's default destination aside: those listed
 * @param max how many may be open at once (logging.cloudwatch.max-destinations)
 * @param overflowed events sent to their template's default destination because {@code max} were open, by route
 * ({@code main} for the main destination)
 * @param destinations each open one, with its figures
 */
public record OpenDestinations(int open, int max, Map<String, Long> overflowed, List<Open> destinations) {

    public OpenDestinations {
        overflowed = Collections.unmodifiableMap(new LinkedHashMap<>(overflowed)); // the routes' order
        destinations = List.copyOf(destinations);
    }

    /**
     * @param route the route whose template opened it ({@code main} for the main destination)
     * @param statistics its figures, its group and stream among them
     */
    public record Open(String route, ShipperStatistics statistics) {
    }

}
