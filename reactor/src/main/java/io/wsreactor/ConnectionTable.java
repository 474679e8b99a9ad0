package io.wsreactor;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The connections one reactor owns: an array that grows by doubling, each connection knowing its slot
 * ({@link Connection#index}), so that adding and removing cost O(1) (the last one moves into the freed slot) and
 * the timer sweep walks a plain array. Reactor thread only.
 */
final class ConnectionTable {
    private Connection[] connections = new Connection[64];
    private int count;

    void add(Connection connection) {
        if (count == connections.length) {
            connections = Arrays.copyOf(connections, count * 2);
        }
        connection.index = count;
        connections[count++] = connection;
    }

    /** Removes a connection; nothing when it is not in the table. */
    void remove(Connection connection) {
        int i = connection.index;
        if (i < 0) {
            return;
        }
        Connection last = connections[--count];
        connections[i] = last;
        last.index = i;
        connections[count] = null;
        connection.index = -1;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Calls {@code action} on each connection, newest first. The action may remove the connection it is given (a
     * close): walking down from the end, the connection moved into its slot was visited already.
     */
    void forEach(Consumer<Connection> action) {
        for (int i = count - 1; i >= 0; i--) {
            if (i < count) {
                action.accept(connections[i]);
            }
        }
    }
}
