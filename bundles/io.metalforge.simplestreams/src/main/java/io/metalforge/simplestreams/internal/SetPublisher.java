package io.metalforge.simplestreams.internal;

import java.io.IOException;

/** Where completed synced sets are announced besides the sync's own state (the platform's boot resource catalog). */
interface SetPublisher {

    /** A complete, verified set of a resource; it replaces every other set of that resource. Idempotent. */
    void publish(SyncedState.Resource resource, SyncedState.Set_ set) throws IOException;

    /** The resource is no longer wanted. Idempotent. */
    void remove(SyncedState.Resource resource) throws IOException;

    /**
     * A set of the resource starts downloading: the resource is made visible (without the set, so nothing of it is
     * usable) so its live progress can be shown under its id. Idempotent.
     */
    default void prepare(SyncedState.Resource resource) throws IOException {
    }

    /**
     * Removes synced resources that hold no set: left by a set that failed or by a sync killed mid-download. Called
     * at the end of every sync, so a crash leaves such an empty resource at most until the next sync.
     */
    default void dropEmpty() throws IOException {
    }

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
