package dev.gridserve.export;

import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/** The exports running on this instance, at most {@link ExportProperties#maxConcurrent()} of them. */
@Component
public class ExportSlots {
    private final Semaphore slots;

    ExportSlots(ExportProperties props) {
        this.slots = new Semaphore(props.maxConcurrent());
    }

    /** A slot, or null when all are taken; release it with {@link #release()}. */
    public boolean tryAcquire() {
        return slots.tryAcquire();
    }

    public void release() {
        slots.release();
    }
}
