package io.metalforge.simplestreams.internal;

import java.io.IOException;

/** Where completed synced sets are announced besides the sync's own state (the platform's boot resource catalog). */
interface SetPublisher {

    /** A complete, verified set of a resource; it replaces every other set of that resource. Idempotent. */
    void publish(SyncedState.Resource resource, SyncedState.Set_ set) throws IOException;

    /** The resource is no longer wanted. Idempotent. */
    void remove(SyncedState.Resource resource) throws IOException;

    /** Whether anything outside the sync still references this blob (then the sync must not delete it). */
    boolean references(String sha256);

    SetPublisher NONE = new SetPublisher() {
        @Override
        public void publish(SyncedState.Resource resource, SyncedState.Set_ set) {
        }

        @Override
        public void remove(SyncedState.Resource resource) {
        }

        @Override
        public boolean references(String sha256) {
            return false;
        }
    };
}
