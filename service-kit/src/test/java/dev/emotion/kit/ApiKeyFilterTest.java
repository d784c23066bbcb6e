package dev.emotion.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.kit.ApiKeyFilter.Refusal;
import dev.emotion.kit.ApiKeyFilter.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which request needs which role, and which key opens it (the HTTP side: TrainingKafkaWiringTest). */
class ApiKeyFilterTest {

    static final List<String> SCORING = List.of("/api/v1/predict");
    static final Map<Role, List<byte[]>> ROLES = ApiKeyFilter.keys(Optional.of("legacy"), Optional.of("admin"),
            Optional.of("submit"), Optional.of("score"));

    static Refusal decide(String method, String path, String key, boolean scoreNeedsKey) {
        return ApiKeyFilter.decide(method, path, key, ROLES, SCORING, scoreNeedsKey);
    }

    @Test
    void eachOperationNeedsItsRoleOrAHigherOne() {
        assertEquals(Role.ADMIN, ApiKeyFilter.required("PUT", "/api/v1/model", SCORING, false));
        assertEquals(Role.ADMIN, ApiKeyFilter.required("DELETE", "/api/v1/trainings/t1", SCORING, false));
        assertEquals(Role.SUBMIT, ApiKeyFilter.required("POST", "/api/v1/trainings", SCORING, false));
        assertNull(ApiKeyFilter.required("POST", "/api/v1/predict/video", SCORING, false));
        assertEquals(Role.SCORE, ApiKeyFilter.required("POST", "/api/v1/predict/video", SCORING, true));
        assertNull(ApiKeyFilter.required("GET", "/api/v1/trainings", SCORING, true));
        assertNull(ApiKeyFilter.required("POST", "/q/health", SCORING, true));

        assertNull(decide("POST", "/api/v1/trainings", "submit", false));
        assertNull(decide("POST", "/api/v1/trainings", "admin", false), "admin includes submit");
        assertNull(decide("DELETE", "/api/v1/trainings/t1", "legacy", false), "the single key is an admin key");
        Refusal r = decide("DELETE", "/api/v1/trainings/t1", "submit", false);
        assertEquals(403, r.status());
        assertTrue(r.detail().contains("this key has the submit role; DELETE /api/v1/trainings/t1 needs the admin"),
                r.detail());
        assertEquals(403, decide("POST", "/api/v1/trainings", "score", false).status());
        assertNull(decide("POST", "/api/v1/predict", null, false), "scoring is open unless configured");
        assertEquals(401, decide("POST", "/api/v1/predict", null, true).status());
        assertNull(decide("POST", "/api/v1/predict", "score", true));
        assertNull(decide("POST", "/api/v1/predict", "submit", true));
        Refusal wrong = decide("POST", "/api/v1/trainings", "guess", false);
        assertEquals(401, wrong.status());
        assertEquals("wrong API key", wrong.error());
        assertEquals("missing API key", decide("PUT", "/api/v1/model", "", false).error());
    }

    @Test
    void withoutKeysNothingIsChecked() {
        Map<Role, List<byte[]>> none = ApiKeyFilter.keys(Optional.empty(), Optional.of(" "), Optional.empty(),
                Optional.empty());
        assertTrue(none.isEmpty());
        assertNull(ApiKeyFilter.decide("DELETE", "/api/v1/trainings/t1", null, none, SCORING, true));
    }
}
