package dev.emotion.training;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** A test-only endpoint for checking the API-key guard on reads and writes (%test.emotion.api-key is set). */
@Path("/api/v1/test-guard")
public class GuardedTestResource {

    @POST
    public String write() {
        return "accepted";
    }

    @DELETE
    public String delete() {
        return "deleted";
    }

    @GET
    public String read() {
        return "read";
    }
}
