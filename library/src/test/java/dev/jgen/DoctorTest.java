package dev.jgen;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorTest {
    @Test
    void checksTheEngineTheCpuTheConvolutionAndEveryDataPackage() {
        HealthReport report = Doctor.check();
        List<String> checks = report.lines().stream().map(HealthReport.Line::check).toList();
        assertEquals(List.of("jgen", "DJL and libtorch", "DJL offline", "CPU", "threads", "GPU", "convolution gradients"), checks.subList(0, 7));
        assertTrue(checks.containsAll(List.of("Fashion-MNIST", "German credit", "ESRGAN-slim weights")), checks.toString());
        HealthReport.Line conv = report.lines().get(6);
        assertTrue(conv.ok(), "jgen's convolution has finite gradients on this CPU: " + conv.found());
        assertTrue(report.lines().get(1).found().contains("libtorch 2.7.1"), report.lines().get(1).found());
    }

    @Test
    void aFailedLineMakesTheReportUnhealthyAndSaysWhatToDo() {
        HealthReport report = new HealthReport(List.of(HealthReport.Line.ok("a", "fine")))
                .with(HealthReport.Line.failed("b", "missing", "install b"));
        assertFalse(report.healthy());
        assertTrue(report.toString().startsWith("needs attention"), report.toString());
        assertTrue(report.toString().contains("-> install b"), report.toString());
        assertTrue(report.render().data().get("text/html").toString().contains("<code>install b</code>"));
    }
}
