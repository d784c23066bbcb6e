package dev.emotion.inference.scoring;

import dev.emotion.core.inference.ImageInput;
import dev.emotion.kit.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad images are 400 (415 for another format, 413 when too large); no model yet is 503. */
public class ScoringErrors {

    @ServerExceptionMapper
    public Response badImage(ImageInput.BadImage e) {
        int status = e.tooLarge() ? 413 : e.unsupported() ? 415 : 400;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("bad image", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response noModel(Scoring.NoModel e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", "5")
                .entity(new ApiError("no model", e.getMessage())).build();
    }
}
