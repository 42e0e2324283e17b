package org.walj.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.walj.resident.Flight.Origin;
import org.walj.resident.Flight.State;

/** The states of one upload of the daemon's push-ahead: every legal move, and every other one refused. */
class FlightTest {

    /** The moves, by the method that makes them. */
    private static final List<Move> MOVES = List.of(
            new Move("take", State.TAKEN, Flight::take),
            new Move("start", State.UPLOADING, Flight::start),
            new Move("join", State.JOINED, Flight::join),
            new Move("land", State.LANDED, Flight::land));

    @Test
    void aRequestsOwnPushIsUploadingAtOnceAndABackgroundOneQueued() {
        assertEquals(State.UPLOADING, Flight.request().state());
        assertEquals(Origin.REQUEST, Flight.request().origin());
        assertEquals(State.QUEUED, Flight.background(Origin.SCAN).state());
        assertEquals(State.QUEUED, Flight.background(Origin.ANTICIPATED).state());
        assertThrows(IllegalArgumentException.class, () -> Flight.background(Origin.REQUEST));
    }

    @Test
    void movesOnlyAlongTheArrows() {
        List<Set<State>> legal = List.of(
                EnumSet.of(State.UPLOADING, State.TAKEN, State.LANDED), // from QUEUED
                EnumSet.of(State.LANDED),                               // from TAKEN
                EnumSet.of(State.JOINED, State.LANDED),                 // from UPLOADING
                EnumSet.of(State.JOINED, State.LANDED),                 // from JOINED
                EnumSet.noneOf(State.class));                           // from LANDED
        for (State from : State.values()) {
            for (Move move : MOVES) {
                Flight f = in(from);
                if (legal.get(from.ordinal()).contains(move.to())) {
                    move.make().accept(f);
                    assertEquals(move.to(), f.state(), move.name() + " from " + from);
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> move.make().accept(f),
                            move.name() + " from " + from + " must be refused");
                    assertEquals(from, f.state(), "a refused move leaves the state");
                    assertTrue(e.getMessage().contains(from + " to " + move.to()), e.getMessage());
                }
            }
        }
    }

    @Test
    void onlyAScanPickedUploadNobodyWaitsForRenamesTheReadyFile() {
        Flight scanned = in(State.UPLOADING, Origin.SCAN);
        assertTrue(scanned.marksDone());
        assertEquals("done", scanned.outcome());

        Flight anticipated = in(State.UPLOADING, Origin.ANTICIPATED);
        assertFalse(anticipated.marksDone());
        assertEquals("anticipated", anticipated.outcome());

        for (Origin origin : List.of(Origin.SCAN, Origin.ANTICIPATED)) {
            Flight joined = in(State.JOINED, origin);
            assertFalse(joined.marksDone(), origin + ", a request waits: PostgreSQL renames after its answer");
            assertEquals("joined", joined.outcome());
        }
        assertFalse(Flight.request().marksDone(), "a request's push leaves the rename to PostgreSQL");
    }

    @Test
    void landingDoesNotDecideTheOutcomeTheFutureDoes() {
        Flight f = Flight.background(Origin.SCAN);
        f.take();
        f.land();
        assertFalse(f.stored.isDone(), "PushAhead completes it after landing, outside its lock");
    }

    private static Flight in(State state) {
        return in(state, Origin.SCAN);
    }

    /** A flight brought into {@code state} through legal moves only. */
    private static Flight in(State state, Origin origin) {
        Flight f = Flight.background(origin);
        switch (state) {
            case QUEUED -> { }
            case TAKEN -> f.take();
            case UPLOADING -> f.start();
            case JOINED -> {
                f.start();
                f.join();
            }
            case LANDED -> f.land();
        }
        assertEquals(state, f.state());
        return f;
    }

    private record Move(String name, State to, Consumer<Flight> make) {
    }
}
