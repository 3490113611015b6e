"""What a hostile or sloppy client cannot do to jgen: forged messages, and the execute options
(silent, store_history, stop_on_error) that the protocol base ignored."""
import os
import queue
import tempfile
import time
import unittest

import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 60


class Hardening(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="jgen", startup_timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def reply_to(self, msg_id):
        """The shell reply to msg_id, skipping replies to other requests (wait_for_ready leaves kernel_info ones)."""
        return self.replies_to([msg_id])[msg_id]

    def replies_to(self, msg_ids):
        """Replies by request id, in whatever order they come (clients match replies by id)."""
        replies = {}
        while len(replies) < len(msg_ids):
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"]["msg_id"] in msg_ids:
                replies[reply["parent_header"]["msg_id"]] = reply
        return replies

    def execute(self, code, **options):
        msg_id = self.kc.execute(code, **options)
        reply = self.reply_to(msg_id)
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return reply["content"], outputs
            if msg["msg_type"] != "status":
                outputs.append(msg)

    def raw_shell_socket(self):
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.linger = 0
        socket.connect("tcp://%s:%d" % (self.km.ip, self.km.shell_port))
        self.addCleanup(socket.close)
        return socket

    def test_forged_and_malformed_messages_are_rejected_and_the_kernel_keeps_serving(self):
        socket = self.raw_shell_socket()
        forger = Session(key=b"not-the-key", username="mallory")
        forger.send(socket, "execute_request", content={"code": "System.exit(3);", "silent": False})
        unsigned = Session(key=b"", username="mallory")
        unsigned.send(socket, "execute_request", content={"code": "System.exit(4);", "silent": False})
        socket.send_multipart([b"<IDS|MSG>", b"deadbeef", b"{not json"])
        socket.send_multipart([b"no delimiter at all"])
        self.assertEqual(0, socket.poll(1500), "a rejected message must get no reply")

        honest = Session(key=self.km.session.key, username="alice")
        honest.send(socket, "execute_request", content={"code": "20 + 22", "silent": False, "store_history": True,
                                                        "user_expressions": {}, "allow_stdin": False,
                                                        "stop_on_error": True})
        self.assertEqual(zmq.POLLIN, socket.poll(TIMEOUT * 1000))
        _, reply = honest.recv(socket)
        self.assertEqual("ok", reply["content"]["status"])
        content, _ = self.execute("1 + 1")
        self.assertEqual("ok", content["status"])

        log = os.environ.get("JGEN_LOG")
        self.assertTrue(log, "run with JGEN_LOG naming the kernel's log file (ProtocolIT sets it)")
        self.assertTrue(os.path.exists(log), "the kernel wrote no log at " + log)
        with open(log, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("rejected a message because its signature is wrong", text)
        self.assertIn("rejected a message because it is not signed", text)
        self.assertNotIn(self.km.session.key.decode(), text, "the key must never reach the log")

    def test_every_socket_listens_only_on_the_connection_file_address(self):
        import psutil

        kernel = psutil.Process(self.km.provisioner.process.pid)
        listening = [c for c in kernel.connections(kind="tcp") if c.status == psutil.CONN_LISTEN]
        ports = {self.km.shell_port, self.km.iopub_port, self.km.stdin_port, self.km.control_port, self.km.hb_port}
        self.assertEqual(ports, {c.laddr.port for c in listening})
        # Java's dual-stack sockets report IPv4 addresses in their IPv4-mapped IPv6 form.
        addresses = {c.laddr.ip.removeprefix("::ffff:") for c in listening}
        self.assertEqual({self.km.ip}, addresses)

    def test_silent_execution_publishes_nothing_and_does_not_count(self):
        before, _ = self.execute("int counted = 1;")
        content, outputs = self.execute('System.out.println("hidden"); 99', silent=True)
        self.assertEqual("ok", content["status"])
        self.assertEqual([], outputs)
        self.assertEqual(before["execution_count"], content["execution_count"])
        after, _ = self.execute("counted")
        self.assertEqual(before["execution_count"] + 1, after["execution_count"])

    def test_store_history_false_does_not_count(self):
        before, _ = self.execute("1")
        content, outputs = self.execute("2", store_history=False)
        self.assertEqual(before["execution_count"], content["execution_count"])
        self.assertTrue(any(m["msg_type"] == "execute_result" for m in outputs))

    def test_stop_on_error_aborts_the_cells_queued_behind_a_failure(self):
        # The first cell fails only once the test has queued the other two: it waits for a file the
        # test creates after sending them, not for a guessed time.
        release = os.path.join(tempfile.mkdtemp(prefix="jgen-hardening"), "release")
        first = self.kc.execute('while (!Files.exists(Path.of("%s"))) Thread.sleep(10);\n'
                                'throw new RuntimeException("first fails");' % release)
        second = self.kc.execute("int ranAfterFailure = 1;")
        third = self.kc.execute("int alsoRan = 1;")
        open(release, "w").close()
        replies = {m: r["content"]["status"] for m, r in self.replies_to([first, second, third]).items()}
        self.assertEqual({first: "error", second: "aborted", third: "aborted"}, replies)
        self.drain_iopub()
        content, outputs = self.execute("ranAfterFailure")
        self.assertEqual("error", content["status"], "the aborted cell must not have run")

    def test_without_stop_on_error_queued_cells_still_run(self):
        first = self.kc.execute('throw new RuntimeException("tolerated");', stop_on_error=False)
        second = self.kc.execute("40 + 2")
        replies = {m: r["content"]["status"] for m, r in self.replies_to([first, second]).items()}
        self.assertEqual({first: "error", second: "ok"}, replies)
        self.drain_iopub()

    def drain_iopub(self):
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                self.kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                return


if __name__ == "__main__":
    unittest.main()
