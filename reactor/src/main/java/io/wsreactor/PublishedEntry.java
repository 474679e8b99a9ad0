package io.wsreactor;

import io.wsreactor.frame.Opcode;

/**
 * One recipient's queue node for a published message: a reference to the shared {@link Publication} and the
 * node's own fields, 32 bytes in all (docs/ARCHITECTURE.md, "Fan-out").
 */
final class PublishedEntry extends OutboundEntry {
    private final Publication message;

    PublishedEntry(Publication message) {
        this.message = message;
    }

    /** Only the node: the message's bytes are charged once per publish ({@link Publication#handOver}). */
    @Override
    long budgetCost() {
        return MemoryBudget.ENTRY_OVERHEAD;
    }

    @Override
    long letGo() {
        return message.letGo();
    }

    @Override
    Kind kind() {
        return Kind.DATA;
    }

    @Override
    int total() {
        return message.total;
    }

    @Override
    int headerLength() {
        return message.header.length;
    }

    @Override
    byte[] payload() {
        return message.payload;
    }

    @Override
    byte[] encodedHeader() {
        return message.header;
    }

    @Override
    Opcode opcode() {
        return message.opcode;
    }

    @Override
    boolean fin() {
        return true;
    }
}
