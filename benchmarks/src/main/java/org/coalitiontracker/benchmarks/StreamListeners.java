package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many clients of {@code GET /coalition/stream} on a few threads. The JDK's HTTP client reads all its connections on
 * one thread and decodes every line; at 10,000 clients that thread, not the service, set the pace. These are plain
 * sockets that look in each event only for the coalition's cluster count, so that what is measured is the service.
 */
final class StreamListeners implements AutoCloseable {

    /** Told, on a reading thread, each time a client reads the coalition's totals. */
    interface Arrival {
        void seen(int client, long clusters, long nanoTime);
    }

    private static final byte[] COALITION = "\"scope\":\"coalition\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLUSTERS = "\"clusters\":".getBytes(StandardCharsets.US_ASCII);

    private final List<Selector> selectors = new ArrayList<>();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private volatile boolean open = true;

    StreamListeners(URI stream, int clients, int threads, Arrival arrival) throws IOException {
        byte[] request = ("GET " + stream.getPath() + " HTTP/1.1\r\nHost: " + stream.getHost() + ":" + stream.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int t = 0; t < threads; t++) {
            selectors.add(Selector.open());
        }
        for (int client = 0; client < clients; client++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(stream.getHost(), stream.getPort()));
            channels.add(channel);
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            channel.register(selectors.get(client % threads), SelectionKey.OP_READ, new Connection(client, bytesRead, reads));
        }
        for (Selector selector : selectors) {
            Thread reader = new Thread(() -> read(selector, arrival), "stream-listener");
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
    }

    private void read(Selector selector, Arrival arrival) {
        try {
            while (open) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).read((SocketChannel) key.channel(), arrival);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException failed) {
            if (open) {
                throw new UncheckedIOException(failed);
            }
        }
    }

    /** What all the clients have read so far, HTTP's chunk framing included. */
    long bytesRead() {
        return bytesRead.sum();
    }

    /** How many reads that took: one per write of the server's, unless the network joined or cut them. */
    long reads() {
        return reads.sum();
    }

    @Override
    public void close() throws Exception {
        open = false;
        for (Thread reader : readers) {
            reader.join();
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
        for (Selector selector : selectors) {
            selector.close();
        }
    }

    /** What one client has read and not yet looked at: the tail of an event cut by the network. */
    private static final class Connection {

        private final int client;
        private final LongAdder bytesRead;
        private final LongAdder reads;
        private final ByteBuffer unread = ByteBuffer.allocate(32 * 1024);

        Connection(int client, LongAdder bytesRead, LongAdder reads) {
            this.client = client;
            this.bytesRead = bytesRead;
            this.reads = reads;
        }

        void read(SocketChannel channel, Arrival arrival) throws IOException {
            int read = channel.read(unread);
            if (read < 0) {
                throw new IOException("client " + client + ": the service closed the stream");
            }
            bytesRead.add(read);
            reads.increment();
            byte[] bytes = unread.array();
            int end = unread.position();
            int start = 0;
            for (int i = 1; i < end; i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\n') {
                    event(bytes, start, i, arrival);
                    start = i + 1;
                }
            }
            unread.position(start).limit(end);
            unread.compact();
        }

        private void event(byte[] bytes, int from, int to, Arrival arrival) {
            if (indexOf(bytes, COALITION, from, to) < 0) {
                return;
            }
            int at = indexOf(bytes, CLUSTERS, from, to);
            long clusters = 0;
            for (int i = at + CLUSTERS.length; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                clusters = clusters * 10 + bytes[i] - '0';
            }
            arrival.seen(client, clusters, System.nanoTime());
        }

        private static int indexOf(byte[] bytes, byte[] wanted, int from, int to) {
            outer: for (int i = from; i <= to - wanted.length; i++) {
                for (int j = 0; j < wanted.length; j++) {
                    if (bytes[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
