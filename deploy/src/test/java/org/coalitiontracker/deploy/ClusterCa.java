package org.coalitiontracker.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A certificate authority for a test broker, as Strimzi's cluster CA is for the deployment's brokers: its
 * certificate ({@code ca.crt}, PEM, what the clients trust) and a broker keystore it signed for 127.0.0.1. Made with
 * the JDK's keytool, valid for two days.
 */
record ClusterCa(Path certificate, Path brokerKeystore, String keystorePassword) {

    static ClusterCa createIn(Path dir) {
        String password = UUID.randomUUID().toString();
        Path ca = dir.resolve("ca.p12");
        Path certificate = dir.resolve("ca.crt");
        Path broker = dir.resolve("broker.p12");
        Path request = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.crt");
        try {
            Files.createDirectories(dir);
            for (Path file : List.of(ca, certificate, broker, request, signed)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keytool(ca, password, "-genkeypair", "-alias", "ca", "-dname", "CN=coalition-test-cluster-ca", "-ext", "bc:c");
        keytool(ca, password, "-exportcert", "-rfc", "-alias", "ca", "-file", certificate.toString());
        keytool(broker, password, "-genkeypair", "-alias", "broker", "-dname", "CN=coalition-test-broker");
        keytool(broker, password, "-certreq", "-alias", "broker", "-file", request.toString());
        keytool(ca, password, "-gencert", "-alias", "ca", "-rfc", "-infile", request.toString(), "-outfile",
                signed.toString(), "-ext", "SAN=ip:127.0.0.1,dns:localhost");
        keytool(broker, password, "-importcert", "-noprompt", "-alias", "ca", "-file", certificate.toString());
        keytool(broker, password, "-importcert", "-alias", "broker", "-file", signed.toString());
        return new ClusterCa(certificate, broker, password);
    }

    String certificatePem() {
        try {
            return Files.readString(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(Path keystore, String password, String... arguments) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password));
        if (arguments[0].equals("-genkeypair") || arguments[0].equals("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        if (arguments[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        }
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
