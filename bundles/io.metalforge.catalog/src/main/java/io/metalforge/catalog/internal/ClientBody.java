package io.metalforge.catalog.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;

import io.metalforge.api.http.ApiException;

/**
 * A request body whose read failures are told apart from the store's write failures: a client that stalls or hangs
 * up is the client's fault (408/400), a disk that fills is not (507), and neither is a bug (500).
 */
final class ClientBody extends FilterInputStream {

    /** A read of the request body failed: the client stalled or went away. */
    static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(IOException cause) {
            super(cause.getMessage(), cause);
        }

        /** The API error for it: 408 when the server's idle timeout ended the wait, 400 when the client hung up. */
        ApiException toApiException(long received) {
            for (Throwable t = getCause(); t != null; t = t.getCause()) {
                if (t instanceof TimeoutException) {
                    return new ApiException(408, "Upload stalled: no data arrived within the server's idle timeout. "
                            + received + " bytes of this file are kept; send the rest from there.");
                }
            }
            return ApiException.badRequest("Upload interrupted: the connection ended before the chunk's "
                    + "Content-Length bytes arrived. " + received + " bytes of this file are kept; send the rest from "
                    + "there.");
        }
    }

    ClientBody(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (ClientGone e) {
            throw e;
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (ClientGone e) {
            throw e;
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** True when a store write failed because its file system is full (the JDK gives only the OS's text). */
    static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
