package dev.emotion.kit;

import dev.emotion.core.contract.ContractException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps domain errors to JSON {@link ApiError} answers. */
public class ApiErrors {

    /** Thrown by resources when the thing asked for does not exist; {@code detail} says where to look. */
    public static class Missing extends RuntimeException {
        private final String detail;

        public Missing(String error, String detail) {
            super(error);
            this.detail = detail;
        }
    }

    /** A request that cannot be carried out as given (400): {@code error} says what kind, the message what to fix. */
    public static class Invalid extends RuntimeException {
        private final String error;

        public Invalid(String error, String detail) {
            super(detail);
            this.error = error;
        }
    }

    /** The service cannot do it now but will later (503 with Retry-After): the message says what it is busy with. */
    public static class Busy extends RuntimeException {
        private final int retryAfterSeconds;

        public Busy(String message, int retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    @ServerExceptionMapper
    public Response busy(Busy e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", e.retryAfterSeconds).entity(new ApiError("busy", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response invalid(Invalid e) {
        return json(Response.Status.BAD_REQUEST, new ApiError(e.error, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response missing(Missing e) {
        return json(Response.Status.NOT_FOUND, new ApiError(e.getMessage(), e.detail));
    }

    @ServerExceptionMapper
    public Response invalidRecord(ContractException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError(e.recordType() + " is invalid",
                String.join("; ", e.problems())));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, new ApiError("not found", "see /q/swagger-ui for the API"));
    }

    private static Response json(Response.Status status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
