package io.metalforge.api.source;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What a source offers: every product of every product list its index names, already verified.
 *
 * @param index      the index that was read
 * @param mirrorRoot base URL item paths are relative to (ends with "/")
 * @param updated    the index's "updated" text, as given
 * @param products   the products in the order of the product lists
 */
public record StreamCatalogue(URI index, URI mirrorRoot, String updated, List<StreamProduct> products) {
    public StreamCatalogue {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(mirrorRoot, "mirrorRoot");
        updated = updated == null ? "" : updated;
        products = products == null ? List.of() : List.copyOf(products);
    }
}
