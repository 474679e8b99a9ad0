package io.wsreactor;

/**
 * What a connection's close comes to: the status it ends with and who began it (docs/ARCHITECTURE.md, "A
 * connection's life", the statuses). The client's close wins over the server's failure, which wins over 1006; the
 * first side to begin the close is its initiator, and nobody is {@link CloseInitiator#ABORT}.
 *
 * <p>{@link ConnectionLife} extends it (one object per connection, as before) with the states and the steps; it
 * records here what each event says about the end. Reactor thread only.
 */
abstract class CloseOutcome {
    private CloseInitiator initiator;
    private CloseStatus clientClose;
    private CloseStatus serverFailure;

    /** The client's close frame arrived: it is the status, and the client began the close unless the server had. */
    final void clientClosed(int code, String reason) {
        clientClose = new CloseStatus(code, reason);
        if (initiator == null) {
            initiator = CloseInitiator.CLIENT;
        }
    }

    /** The server fails the connection with {@code code}: the status unless the client's close came. */
    final void serverFailed(int code, String reason) {
        serverFailure = new CloseStatus(code, reason);
    }

    /** The server begins the close, unless the client already had. */
    final void serverBegan() {
        if (initiator == null) {
            initiator = CloseInitiator.SERVER;
        }
    }

    final boolean hasClientClosed() {
        return clientClose != null;
    }

    /** The status the connection ends with: the client's close, else the server's failure, else 1006. */
    final CloseStatus status() {
        return clientClose != null ? clientClose : serverFailure != null ? serverFailure : CloseStatus.ABNORMAL;
    }

    /** Who began the close; {@link CloseInitiator#ABORT} when nobody did (TCP dropped or was closed at once). */
    final CloseInitiator initiator() {
        return initiator == null ? CloseInitiator.ABORT : initiator;
    }
}
