package org.coalitiontracker.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fan-out's peer: a server-sent event stream with nothing but the writes, in a process of its own as the service
 * is. It answers every {@code GET} with a chunked event stream and, for each line {@code <clusters> <bytes>} on its
 * standard input, writes one chunk of that many bytes (an event with the coalition's cluster count, padded) to every
 * client, on two threads as the service's two event loops do: one blocking write per client, from one shared buffer.
 * What it costs per client is the floor for any server on this machine, in the same run as the service.
 */
public final class PlainStream {

    private static final int WRITERS = 2;
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private PlainStream() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        List<List<SocketChannel>> clients = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            clients.add(new ArrayList<>());
        }
        Thread acceptor = new Thread(() -> accept(server, clients), "plain-stream-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
        System.out.flush();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] change = line.trim().split(" ");
            ByteBuffer chunk = chunk(Long.parseLong(change[0]), Integer.parseInt(change[1]));
            List<Future<?>> written = new ArrayList<>();
            for (List<SocketChannel> some : clients) {
                written.add(writers.submit(() -> {
                    synchronized (some) {
                        for (SocketChannel client : some) {
                            client.write(chunk.duplicate());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : written) {
                done.get();
            }
        }
        System.exit(0);
    }

    /** Takes each client's request, answers with the stream's head, and gives it to a writer. */
    private static void accept(ServerSocketChannel server, List<List<SocketChannel>> clients) {
        try {
            for (int accepted = 0;; accepted++) {
                SocketChannel client = server.accept();
                // A client's request is a few dozen bytes, sent at once; nothing in it is needed.
                client.read(ByteBuffer.allocate(4096));
                client.write(ByteBuffer.wrap(HEAD));
                // As the service sends the totals on connecting, so that the harness knows the client is listening.
                client.write(chunk(0, 0));
                List<SocketChannel> some = clients.get(accepted % WRITERS);
                synchronized (some) {
                    some.add(client);
                }
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /**
     * One chunk of {@code bytes} bytes in all, its framing included (the data's size in hex and two line ends): a
     * totals event with the count, padded to the service's size.
     */
    private static ByteBuffer chunk(long clusters, int bytes) {
        String event = "event: totals\nid: " + clusters + "\ndata: {\"scope\":\"coalition\",\"clusters\":" + clusters
                + ",\"padding\":\"";
        String end = "\"}\n\n";
        int size = bytes - 4;
        while (size > 0 && Integer.toHexString(size).length() + 4 + size > bytes) {
            size--;
        }
        String data = event + "x".repeat(Math.max(0, size - event.length() - end.length())) + end;
        byte[] framed = (Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(framed.length).put(framed).flip();
    }
}
