package dev.muster.transport.http;

import dev.muster.spi.CreditHistory;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.OwnerProfile;
import dev.muster.spi.PoolStatus;
import dev.muster.spi.WorkerGroup;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the operators' status ({@code /v1/admin/status}) and of owners' public profiles. */
final class StatusViews {
    private StatusViews() {}

    record OpenJobsView(String type, Wire.Resources requirements, long queued, long running, long awaitingAgreement,
                        String oldestQueued) {
        static OpenJobsView of(OpenJobs o) {
            return new OpenJobsView(o.type(), Wire.Resources.of(o.requirements()), o.queued(), o.running(),
                    o.awaitingAgreement(), Wire.time(o.oldestQueued()));
        }
    }

    record WorkerGroupView(String state, String tier, Wire.Resources capabilities, long workers, long capacity,
                           long leases, String lastContact) {
        static WorkerGroupView of(WorkerGroup g) {
            return new WorkerGroupView(g.state().name(), WorkerGroup.tierOf(g.capabilities()),
                    Wire.Resources.of(g.capabilities()), g.workers(), g.capacity(), g.leases(),
                    Wire.time(g.lastContact()));
        }
    }

    record HourView(String hour, long accepted, long failed) {
        static HourView of(HourlyOutcomes h) {
            return new HourView(Wire.time(h.hour()), h.accepted(), h.failed());
        }
    }

    record StatusView(String at, Map<String, Object> summary, List<OpenJobsView> openJobs,
                      List<WorkerGroupView> workers, List<HourView> lastDay, List<OpenJobsView> unmet,
                      List<Wire.RejectionView> latestRejections) {
        static StatusView of(PoolStatus s) {
            return new StatusView(Wire.time(s.at()), Wire.summary(s.summary()),
                    s.openJobs().stream().map(OpenJobsView::of).toList(),
                    s.workers().stream().map(WorkerGroupView::of).toList(),
                    s.lastDay().stream().map(HourView::of).toList(),
                    s.unmet().stream().map(OpenJobsView::of).toList(),
                    s.latestRejections().stream().map(Wire.RejectionView::of).toList());
        }
    }

    record DayView(String day, double credit, long results) {
        static DayView of(CreditHistory.Day d) {
            return new DayView(d.day().toString(), d.credit(), d.results());
        }
    }

    record WorkerProfileView(String id, boolean active, String tier, int cores, boolean gpu, String lastContact,
                             double credit, long results) {
        static WorkerProfileView of(OwnerProfile.WorkerProfile w) {
            return new WorkerProfileView(w.id().value(), w.active(), w.tier(), w.cores(), w.gpu(),
                    Wire.time(w.lastContact()), w.credit(), w.results());
        }
    }

    record ProfileView(String name, double credit, long results, List<DayView> days, List<WorkerProfileView> workers,
                       boolean moreWorkers) {
        static ProfileView of(OwnerProfile p) {
            return new ProfileView(p.name(), p.credit().credit(), p.credit().results(),
                    p.credit().days().stream().map(DayView::of).toList(),
                    p.workers().stream().map(WorkerProfileView::of).toList(), p.moreWorkers());
        }
    }
}
