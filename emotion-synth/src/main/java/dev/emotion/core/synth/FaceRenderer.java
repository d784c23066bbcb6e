package dev.emotion.core.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;

/**
 * Draws one participant's face with Java2D: realistic proportions in face-relative units (eyes at mid-head, mouth a
 * third of the way from nose to chin), a high-contrast eye region (lash line, iris ring, pupil, highlight, lid
 * shadow), soft shading by gradient fills (no clipping, which Java2D does not antialias), features projected on an
 * ellipsoid for yaw, action units moving brows, lids, cheeks, nose and lips, then fixed-width lighting, sensor noise
 * and occasional occluders. One renderer per participant and thread.
 */
public final class FaceRenderer {

    private final int width;
    private final int height;
    private final Identity id;
    private final BufferedImage background;
    private final byte[] noise;
    private final int[] clampLut = new int[256 + 64];
    private final double lightAngle;
    private final boolean lightingChanges;

    public FaceRenderer(int width, int height, Identity id, Random random) {
        this(width, height, id, random, false);
    }

    /** {@code lightingChanges}: brightness and light direction drift strongly within the video (hard studies). */
    public FaceRenderer(int width, int height, Identity id, Random random, boolean lightingChanges) {
        this.lightingChanges = lightingChanges;
        this.width = width;
        this.height = height;
        this.id = id;
        this.background = background(width, height, random);
        this.noise = new byte[width * height * 3 + 4096];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) Math.round(random.nextGaussian() * 4);
        }
        for (int i = 0; i < clampLut.length; i++) {
            clampLut[i] = Math.max(0, Math.min(255, i - 32));
        }
        this.lightAngle = random.nextDouble() * Math.PI * 2;
    }

    public BufferedImage newFrame() {
        return new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    }

    /** Head pose: yaw, roll, pitch in degrees, scale around 1, horizontal drift as a fraction of the width. */
    public record Pose(double yaw, double roll, double pitch, double scale, double driftX) {
        public static final Pose FRONTAL = new Pose(0, 0, 0, 1, 0);
    }

    /** Renders the state of {@code script} at {@code t} seconds into {@code frame}. */
    public void render(BufferedImage frame, EmotionScript script, double t) {
        ActionUnits au = ActionUnits.of(script.emotions(t), script.blink(t));
        Pose pose = new Pose(script.yaw(t), script.roll(t), script.pitch(t), script.scale(t), script.driftX(t));
        render(frame, au, pose, script.occlusion(t), t);
    }

    /** Renders explicit action units and pose (previews, tests); {@code occlusion} may be null. */
    public void render(BufferedImage frame, ActionUnits au, Pose pose, EmotionScript.Event occlusion, double t) {
        Graphics2D g = frame.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.drawImage(background, 0, 0, null);
        double a = height * 0.2 * pose.scale();
        double b = a * id.faceAspect();
        double cx = width / 2.0 + pose.driftX() * width;
        double cy = height * 0.47 + Math.toRadians(pose.pitch()) * a * 0.3;
        drawBody(g, cx, cy, a, b);
        AffineTransform plain = g.getTransform();
        g.rotate(Math.toRadians(pose.roll()), cx, cy + b * 0.6);
        Head h = new Head(cx, cy, a, b, Math.toRadians(pose.yaw()), Math.toRadians(pose.pitch()));
        drawHead(g, h, au);
        g.setTransform(plain);
        if (occlusion != null) {
            drawOccluder(g, h, occlusion, t);
        }
        drawLighting(g, t);
        g.dispose();
        addNoise(frame, (int) (Math.abs(t) * 977) % 4096);
    }

    /** Face geometry: centre, half-width a, half-height b, yaw and pitch in radians. */
    private record Head(double cx, double cy, double a, double b, double yaw, double pitch) {

        /** Projects face-relative (u across, -1..1; v down, -1 top .. 1 chin) onto the image for the current yaw. */
        Point2D.Double p(double u, double v) {
            double phi = Math.asin(Math.max(-1, Math.min(1, u))) + yaw;
            double depth = Math.cos(Math.asin(Math.max(-1, Math.min(1, u))));
            double x = cx + a * Math.sin(phi) * (0.85 + 0.15 * depth);
            double y = cy + v * b - Math.sin(pitch) * depth * b * 0.15;
            return new Point2D.Double(x, y);
        }

        /** Horizontal foreshortening of a feature at u. */
        double f(double u) {
            return Math.max(0, Math.cos(Math.asin(Math.max(-1, Math.min(1, u))) + yaw));
        }
    }

    private void drawBody(Graphics2D g, double cx, double cy, double a, double b) {
        Color skin = id.skin();
        g.setPaint(new GradientPaint((float) cx, (float) (cy + b * 0.8), darker(skin, 0.75),
                (float) cx, (float) (cy + b * 1.5), darker(skin, 0.55)));
        g.fill(new RoundRectangle2D.Double(cx - a * 0.42, cy + b * 0.6, a * 0.84, b * 0.9, a * 0.3, a * 0.3));
        g.setPaint(new GradientPaint((float) (cx - 2 * a), (float) cy, id.shirt(),
                (float) (cx + 2 * a), (float) (cy + 2 * b), darker(id.shirt(), 0.6)));
        g.fill(new RoundRectangle2D.Double(cx - a * 2.1, cy + b * 1.25, a * 4.2, b * 2, a * 1.4, a * 1.4));
        g.setColor(darker(id.shirt(), 0.5));
        g.setStroke(new BasicStroke((float) (a * 0.04)));
        g.draw(new Ellipse2D.Double(cx - a * 0.5, cy + b * 1.15, a, b * 0.3));
    }

    private void drawHead(Graphics2D g, Head h, ActionUnits au) {
        double a = h.a();
        double b = h.b();
        Color skin = id.skin();
        if (id.hairStyle() == 1) { // long hair falls behind the head
            g.setColor(darker(id.hair(), 0.85));
            g.fill(new RoundRectangle2D.Double(h.cx() - a * 1.15, h.cy() - b * 1.0, a * 2.3, b * 2.2, a, a));
        }
        for (int side : new int[] {-1, 1}) { // ears at the sides of the ellipsoid
            double vis = Math.cos(side * Math.PI / 2 + h.yaw());
            if (vis > -0.35) {
                Point2D.Double e = h.p(side * 0.97, 0.02);
                double w = a * 0.22 * (0.4 + 0.6 * Math.abs(Math.sin(h.yaw())) + 0.2);
                g.setColor(darker(skin, 0.88));
                g.fill(new Ellipse2D.Double(e.x - w / 2 + side * a * 0.06, e.y - b * 0.16, w, b * 0.32));
            }
        }
        Shape head = headShape(h);
        float lx = (float) (h.cx() - a * 0.35 + Math.sin(h.yaw()) * a * 0.5);
        float ly = (float) (h.cy() - b * 0.35);
        g.setPaint(new RadialGradientPaint(new Point2D.Float(lx, ly), (float) (b * 1.45), new float[] {0f, 0.55f, 1f},
                new Color[] {lighter(skin, 1.08), skin, darker(skin, 0.72)}, MultipleGradientPaint.CycleMethod.NO_CYCLE));
        g.fill(head);
        if (id.stubble()) {
            drawStubble(g, h);
        }
        drawCheeks(g, h, au);
        drawShading(g, h, au);
        drawHair(g, h, head);
        drawNose(g, h, au);
        drawMouth(g, h, au);
        for (int side : new int[] {-1, 1}) {
            drawEye(g, h, au, side);
            drawBrow(g, h, au, side);
        }
        if (id.glasses()) {
            drawGlasses(g, h);
        }
    }

    private Shape headShape(Head h) {
        int n = 48;
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i <= n; i++) {
            double th = 2 * Math.PI * i / n;
            double u = Math.cos(th);
            double v = Math.sin(th);
            double jaw = v > 0.2 ? 1 - (1 - id.jawWidth()) * Math.pow((v - 0.2) / 0.8, 1.5) : 1;
            double x = h.cx() + h.a() * u * jaw + Math.sin(h.yaw()) * h.a() * 0.12 * (1 - Math.abs(u));
            double y = h.cy() + h.b() * v;
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }

    private void drawHair(Graphics2D g, Head h, Shape head) {
        double a = h.a();
        double b = h.b();
        Area cap = new Area(new Ellipse2D.Double(h.cx() - a * 1.06, h.cy() - b * 1.08, a * 2.12, b * 1.25));
        double hairline = id.hairStyle() == 2 ? -0.78 : -0.55;
        Path2D.Double cut = new Path2D.Double();
        cut.moveTo(h.cx() - a * 1.3, h.cy() - b * 0.1);
        for (int i = 0; i <= 20; i++) {
            double u = -1.2 + 2.4 * i / 20;
            double wave = 0.05 * Math.sin(u * 7 + id.faceAspect() * 10);
            Point2D.Double q = h.p(Math.max(-1, Math.min(1, u)), hairline + wave + 0.12 * u * u);
            cut.lineTo(q.x, q.y);
        }
        cut.lineTo(h.cx() + a * 1.3, h.cy() - b * 0.1);
        cut.lineTo(h.cx() + a * 1.3, h.cy() - b * 1.5);
        cut.lineTo(h.cx() - a * 1.3, h.cy() - b * 1.5);
        cut.closePath();
        cap.intersect(new Area(cut));
        if (id.hairStyle() == 3) {
            cap.add(new Area(new Ellipse2D.Double(h.cx() - a * 0.4, h.cy() - b * 1.3, a * 0.8, b * 0.5)));
        }
        g.setPaint(new GradientPaint((float) h.cx(), (float) (h.cy() - b), lighter(id.hair(), 1.25),
                (float) h.cx(), (float) (h.cy() - b * 0.4), id.hair()));
        g.fill(cap);
    }

    private void drawStubble(Graphics2D g, Head h) {
        Random r = new Random(id.participantId().hashCode());
        g.setColor(new Color(id.hair().getRed(), id.hair().getGreen(), id.hair().getBlue(), 70));
        for (int i = 0; i < 500; i++) {
            double u = (r.nextDouble() * 2 - 1) * 0.8;
            double v = 0.42 + r.nextDouble() * 0.5;
            if (Math.abs(u) > 0.85 - (v - 0.4) * 0.6 || (Math.abs(u) < 0.3 && v < 0.62 && v > 0.45)) {
                continue;
            }
            Point2D.Double q = h.p(u, v);
            double s = h.a() * 0.012;
            g.fill(new Ellipse2D.Double(q.x, q.y, s, s));
        }
    }

    private void drawCheeks(Graphics2D g, Head h, ActionUnits au) {
        for (int side : new int[] {-1, 1}) {
            double f = h.f(side * 0.5);
            if (f < 0.1) {
                continue;
            }
            Point2D.Double c = h.p(side * 0.5, 0.22 - 0.06 * au.au6());
            double r = h.a() * 0.28;
            Color blush = new Color(220, 110, 100, (int) (25 + 45 * au.au6()));
            g.setPaint(new RadialGradientPaint(new Point2D.Float((float) c.x, (float) c.y), (float) r,
                    new float[] {0f, 1f}, new Color[] {blush, new Color(220, 110, 100, 0)}));
            g.fill(new Ellipse2D.Double(c.x - r, c.y - r, 2 * r, 2 * r));
            // Nasolabial fold: deepens with cheek raise, smile and upper-lip raise.
            double depth = Math.min(1, 0.15 + 0.9 * au.au6() + 0.8 * au.au12() + 0.9 * au.au10()
                    + (side > 0 ? 1.6 * au.au14r() : 0));
            Point2D.Double top = h.p(side * 0.2, 0.27);
            Point2D.Double mid = h.p(side * (0.33 + 0.05 * au.au12()), 0.42);
            Point2D.Double end = h.p(side * (0.36 + 0.08 * au.au12()), 0.6);
            g.setColor(withAlpha(darker(id.skin(), 0.35), (int) (200 * depth)));
            g.setStroke(new BasicStroke((float) (h.a() * (0.02 + 0.025 * depth)), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            GeneralPath fold = new GeneralPath();
            fold.moveTo(top.x, top.y);
            fold.quadTo(mid.x, mid.y, end.x, end.y);
            g.draw(fold);
        }
    }

    /**
     * Shading that muscles make, in colours relative to the skin so it reads on every skin tone: the shadow of
     * lowered brows over the eyes (4), the marionette shadows under depressed lip corners (15), the bulge of a
     * one-sided dimpler (14) and of raised cheeks (6).
     */
    private void drawShading(Graphics2D g, Head h, ActionUnits au) {
        double a = h.a();
        Color shadow = darker(id.skin(), 0.35);
        Color light = blend(id.skin(), new Color(255, 240, 225), 0.45);
        if (au.au4() > 0.05) {
            Point2D.Double c = h.p(0, -0.12);
            float r = (float) (a * 0.75);
            g.setPaint(new RadialGradientPaint(new Point2D.Float((float) c.x, (float) c.y), r, new float[] {0f, 1f},
                    new Color[] {withAlpha(shadow, (int) (230 * au.au4())), withAlpha(shadow, 0)}));
            g.fill(new Ellipse2D.Double(c.x - r, c.y - r * 0.45, 2 * r, r * 0.9));
        }
        for (int side : new int[] {-1, 1}) {
            if (h.f(side * 0.4) < 0.1) {
                continue;
            }
            if (au.au15() > 0.05) {
                Point2D.Double c = h.p(side * 0.3, 0.72);
                float r = (float) (a * 0.26);
                g.setPaint(new RadialGradientPaint(new Point2D.Float((float) c.x, (float) c.y), r,
                        new float[] {0f, 1f}, new Color[] {withAlpha(shadow, (int) Math.min(255, 330 * au.au15())),
                                withAlpha(shadow, 0)}));
                g.fill(new Ellipse2D.Double(c.x - r, c.y - r, 2 * r, 2 * r));
            }
            double bulge = Math.max(au.au6(), side > 0 ? au.au14r() : 0);
            if (bulge > 0.05) {
                Point2D.Double c = h.p(side * 0.42, side > 0 && au.au14r() > au.au6() ? 0.45 : 0.25);
                float r = (float) (a * 0.26);
                g.setPaint(new RadialGradientPaint(new Point2D.Float((float) c.x, (float) c.y), r,
                        new float[] {0f, 1f}, new Color[] {withAlpha(light, (int) Math.min(255, 320 * bulge)),
                                withAlpha(light, 0)}));
                g.fill(new Ellipse2D.Double(c.x - r, c.y - r, 2 * r, 2 * r));
            }
        }
    }

    private void drawEye(Graphics2D g, Head h, ActionUnits au, int side) {
        double u = side * id.eyeSpacing();
        double f = h.f(u);
        if (f < 0.08) {
            return;
        }
        double a = h.a();
        Point2D.Double c = h.p(u, -0.02);
        double w = a * 0.34 * id.eyeSize() * (0.3 + 0.7 * f);
        // The upper lid rises with 5 and droops with 43 (and on the dimpler's side); the lower lid rises with 6 and 7.
        double open = a * 0.14 * id.eyeSize() * (1 - au.blink());
        double upper = open * 0.62 * Math.max(0.06, 1 + 1.4 * au.au5() - 0.3 * au.au7() - 0.3 * au.au6()
                - 1.1 * au.au43() - (side > 0 ? 1.1 * au.au14r() : 0));
        double lower = open * 0.38 * Math.max(0.05, 1 - 1.0 * au.au7() - 0.9 * au.au6()
                - (side > 0 ? 0.6 * au.au14r() : 0));
        // Lid shadow above the eye.
        g.setPaint(new RadialGradientPaint(new Point2D.Float((float) c.x, (float) (c.y - open * 0.4)), (float) (w * 0.75),
                new float[] {0f, 1f}, new Color[] {new Color(60, 30, 20, 70), new Color(60, 30, 20, 0)}));
        g.fill(new Ellipse2D.Double(c.x - w * 0.75, c.y - open * 0.4 - w * 0.75, w * 1.5, w * 1.5));
        open = upper + lower;
        GeneralPath eye = new GeneralPath();
        eye.moveTo(c.x - w / 2, c.y);
        eye.curveTo(c.x - w / 4, c.y - upper * 1.3, c.x + w / 4, c.y - upper * 1.3, c.x + w / 2, c.y);
        eye.curveTo(c.x + w / 4, c.y + lower * 1.3, c.x - w / 4, c.y + lower * 1.3, c.x - w / 2, c.y);
        eye.closePath();
        g.setColor(new Color(242, 238, 232));
        g.fill(eye);
        double ir = a * 0.082 * id.eyeSize();
        double gaze = Math.sin(h.yaw()) * w * 0.15;
        Area iris = new Area(new Ellipse2D.Double(c.x + gaze - ir * f, c.y - ir, 2 * ir * f, 2 * ir));
        iris.intersect(new Area(eye));
        g.setColor(id.iris());
        g.fill(iris);
        Area ring = new Area(new Ellipse2D.Double(c.x + gaze - ir * f, c.y - ir, 2 * ir * f, 2 * ir));
        ring.subtract(new Area(new Ellipse2D.Double(c.x + gaze - ir * f * 0.8, c.y - ir * 0.8, 1.6 * ir * f, 1.6 * ir)));
        ring.intersect(new Area(eye));
        g.setColor(darker(id.iris(), 0.45));
        g.fill(ring);
        Area pupil = new Area(new Ellipse2D.Double(c.x + gaze - ir * 0.45 * f, c.y - ir * 0.45, ir * 0.9 * f, ir * 0.9));
        pupil.intersect(new Area(eye));
        g.setColor(new Color(12, 10, 10));
        g.fill(pupil);
        if (open > a * 0.04) {
            g.setColor(new Color(255, 255, 255, 220));
            g.fill(new Ellipse2D.Double(c.x + gaze + ir * 0.15, c.y - ir * 0.5, ir * 0.35, ir * 0.35));
        }
        // Lash line: the darkest, thickest stroke of the face.
        g.setColor(new Color(25, 18, 15));
        g.setStroke(new BasicStroke((float) (a * 0.035), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        GeneralPath lash = new GeneralPath();
        lash.moveTo(c.x - w / 2 - a * 0.01, c.y + a * 0.005);
        lash.curveTo(c.x - w / 4, c.y - upper * 1.3, c.x + w / 4, c.y - upper * 1.3, c.x + w / 2 + a * 0.01, c.y);
        g.draw(lash);
        g.setColor(new Color(90, 60, 50, 120));
        g.setStroke(new BasicStroke((float) (a * 0.012)));
        GeneralPath low = new GeneralPath();
        low.moveTo(c.x - w / 2, c.y);
        low.curveTo(c.x - w / 4, c.y + lower * 1.3, c.x + w / 4, c.y + lower * 1.3, c.x + w / 2, c.y);
        g.draw(low);
    }

    private void drawBrow(Graphics2D g, Head h, ActionUnits au, int side) {
        double b = h.b();
        double inner = side * (0.14 - 0.09 * au.au4());
        double outer = side * 0.62;
        if (h.f(side * 0.4) < 0.08) {
            return;
        }
        double base = -0.27 + 0.2 * au.au4();
        Point2D.Double pi = h.p(inner, base - 0.3 * au.au1() + 0.08 * au.au4());
        Point2D.Double pm = h.p(side * 0.38, base - 0.05 - 0.1 * au.au1() - 0.14 * au.au2());
        Point2D.Double po = h.p(outer, base + 0.01 - 0.18 * au.au2() + 0.04 * au.au4());
        g.setColor(browColor());
        g.setStroke(new BasicStroke((float) (h.a() * 0.07 * id.browThickness() * (1 + 0.5 * au.au4())),
                BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND));
        GeneralPath brow = new GeneralPath();
        brow.moveTo(pi.x, pi.y);
        brow.quadTo(pm.x, pm.y - b * 0.02, po.x, po.y);
        g.draw(brow);
        if (au.au4() > 0.2 && side == 1) { // vertical furrows between the brows
            g.setColor(withAlpha(darker(id.skin(), 0.3), (int) Math.min(255, 250 * au.au4())));
            g.setStroke(new BasicStroke((float) (h.a() * 0.03)));
            for (double du : new double[] {-0.05, 0.05}) {
                Point2D.Double t0 = h.p(du, base - 0.04);
                Point2D.Double t1 = h.p(du * 0.8, base + 0.08);
                g.draw(new java.awt.geom.Line2D.Double(t0, t1));
            }
        }
        if (au.au1() + au.au2() > 0.2 && side == 1) { // forehead lines when brows go up
            g.setColor(withAlpha(darker(id.skin(), 0.4), (int) (220 * Math.min(1, au.au1() + au.au2() - 0.2))));
            g.setStroke(new BasicStroke((float) (h.a() * 0.022)));
            for (int k = 0; k < 3; k++) {
                Point2D.Double l0 = h.p(-0.35, base - 0.2 - 0.06 * k);
                Point2D.Double l1 = h.p(0.35, base - 0.2 - 0.06 * k);
                Point2D.Double lm = h.p(0, base - 0.23 - 0.06 * k);
                GeneralPath line = new GeneralPath();
                line.moveTo(l0.x, l0.y);
                line.quadTo(lm.x, lm.y, l1.x, l1.y);
                g.draw(line);
            }
        }
    }

    private void drawNose(Graphics2D g, Head h, ActionUnits au) {
        double a = h.a();
        double len = 0.33 * id.noseLength();
        Point2D.Double tip = h.p(0, len);
        double flare = 1 + 0.5 * au.au9() + 0.25 * au.au10();
        Color shade = darker(id.skin(), 0.62);
        g.setColor(new Color(shade.getRed(), shade.getGreen(), shade.getBlue(), 150));
        g.setStroke(new BasicStroke((float) (a * 0.022), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Point2D.Double bridge = h.p(0.08, 0.02);
        GeneralPath side = new GeneralPath();
        side.moveTo(bridge.x, bridge.y);
        Point2D.Double wing = h.p(0.13 * flare, len - 0.02);
        side.quadTo(bridge.x + a * 0.02, (bridge.y + wing.y) / 2, wing.x, wing.y);
        g.draw(side);
        GeneralPath base = new GeneralPath();
        Point2D.Double l = h.p(-0.14 * flare, len - 0.02);
        Point2D.Double r = h.p(0.14 * flare, len - 0.02);
        base.moveTo(l.x, l.y);
        base.quadTo(tip.x, tip.y + a * 0.09, r.x, r.y);
        g.draw(base);
        g.setColor(darker(id.skin(), 0.35));
        for (int s : new int[] {-1, 1}) {
            Point2D.Double n = h.p(s * 0.07 * flare, len + 0.015);
            double nw = a * 0.07 * flare * h.f(s * 0.07);
            g.fill(new Ellipse2D.Double(n.x - nw / 2, n.y - a * 0.018, nw, a * 0.036));
        }
        if (au.au9() > 0.15) { // wrinkles across the bridge
            g.setColor(withAlpha(darker(id.skin(), 0.3), (int) Math.min(255, 260 * au.au9())));
            g.setStroke(new BasicStroke((float) (a * 0.025)));
            for (int k = 0; k < 4; k++) {
                Point2D.Double w0 = h.p(-0.16, 0.0 + 0.05 * k);
                Point2D.Double w1 = h.p(0.16, 0.0 + 0.05 * k);
                g.draw(new java.awt.geom.Line2D.Double(w0, w1));
            }
        }
    }

    private void drawMouth(Graphics2D g, Head h, ActionUnits au) {
        double a = h.a();
        double b = h.b();
        double vm = 0.55 - 0.07 * au.au17() - 0.03 * au.au10();
        double half = 0.36 * id.mouthWidth() * (1 + 0.4 * au.au20() + 0.3 * au.au12() - 0.25 * au.au23());
        double liftL = -0.17 * au.au12() + 0.16 * au.au15() + 0.03 * au.au20();
        double liftR = liftL - 0.45 * au.au14r();
        double openH = 0.015 + 0.32 * au.au26() + 0.13 * au.au25() + 0.2 * au.au10();
        double lip = 0.055 * (1 - 0.75 * au.au23() - 0.4 * au.au14r()) + 0.012;
        Point2D.Double cl = h.p(-half, vm + liftL);
        Point2D.Double cr = h.p(half + 0.22 * au.au14r(), vm + liftR);
        Point2D.Double top = h.p(0, vm - openH * 0.3 - 0.1 * au.au10());
        Point2D.Double bot = h.p(0, vm + openH * 0.7);
        double smileCurve = (0.1 * au.au12() - 0.07 * au.au15()) * b;
        Color lipColor = blend(id.skin(), new Color(170, 70, 70), 0.45);
        // Opening (mouth interior and teeth).
        GeneralPath inner = new GeneralPath();
        inner.moveTo(cl.x, cl.y);
        inner.quadTo(top.x, top.y + smileCurve * 0.5, cr.x, cr.y);
        inner.quadTo(bot.x, bot.y + smileCurve, cl.x, cl.y);
        inner.closePath();
        g.setColor(new Color(60, 20, 25));
        g.fill(inner);
        if (openH > 0.035) {
            Area teeth = new Area(new java.awt.geom.Rectangle2D.Double(Math.min(cl.x, cr.x), top.y - b * 0.05,
                    Math.abs(cr.x - cl.x), b * (0.035 + 0.04 * au.au12()) + b * 0.05));
            teeth.intersect(new Area(inner));
            g.setColor(new Color(235, 232, 220));
            g.fill(teeth);
        }
        // Upper and lower lips as bands along the opening.
        GeneralPath upperLip = new GeneralPath();
        upperLip.moveTo(cl.x, cl.y);
        Point2D.Double bowL = h.p(-0.06, vm - openH * 0.3 - lip * 1.3 - 0.02 * au.au10());
        Point2D.Double bowR = h.p(0.06, vm - openH * 0.3 - lip * 1.3 - 0.02 * au.au10());
        Point2D.Double dip = h.p(0, vm - openH * 0.3 - lip * 1.0 - 0.02 * au.au10());
        upperLip.quadTo((cl.x + bowL.x) / 2, bowL.y + smileCurve * 0.2, bowL.x, bowL.y);
        upperLip.lineTo(dip.x, dip.y);
        upperLip.lineTo(bowR.x, bowR.y);
        upperLip.quadTo((cr.x + bowR.x) / 2, bowR.y + smileCurve * 0.2, cr.x, cr.y);
        upperLip.quadTo(top.x, top.y + smileCurve * 0.5, cl.x, cl.y);
        upperLip.closePath();
        g.setColor(darker(lipColor, 0.85));
        g.fill(upperLip);
        GeneralPath lowerLip = new GeneralPath();
        lowerLip.moveTo(cl.x, cl.y);
        lowerLip.quadTo(bot.x, bot.y + smileCurve, cr.x, cr.y);
        lowerLip.quadTo(bot.x, bot.y + smileCurve + lip * b * 2.2, cl.x, cl.y);
        lowerLip.closePath();
        g.setColor(lipColor);
        g.fill(lowerLip);
        g.setColor(new Color(50, 20, 20, 180));
        g.setStroke(new BasicStroke((float) (a * 0.014), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        GeneralPath line = new GeneralPath();
        line.moveTo(cl.x, cl.y);
        line.quadTo(top.x, top.y + smileCurve * 0.5, cr.x, cr.y);
        g.draw(line);
        if (au.au14r() > 0.2) { // dimple on the contempt side
            g.setColor(withAlpha(darker(id.skin(), 0.3), (int) Math.min(255, 300 * au.au14r())));
            g.fill(new Ellipse2D.Double(cr.x, cr.y - a * 0.05, a * 0.09, a * 0.11));
        }
        if (au.au17() > 0.3) { // chin boss
            Point2D.Double chin = h.p(0, 0.83);
            g.setColor(withAlpha(darker(id.skin(), 0.4), (int) Math.min(255, 180 * au.au17())));
            g.setStroke(new BasicStroke((float) (a * 0.025)));
            g.draw(new java.awt.geom.Arc2D.Double(chin.x - a * 0.15, chin.y - a * 0.08, a * 0.3, a * 0.16, 20, 140,
                    java.awt.geom.Arc2D.OPEN));
        }
    }

    private void drawGlasses(Graphics2D g, Head h) {
        double a = h.a();
        g.setStroke(new BasicStroke((float) (a * 0.03)));
        Point2D.Double[] centres = new Point2D.Double[2];
        int i = 0;
        for (int side : new int[] {-1, 1}) {
            double u = side * id.eyeSpacing();
            double f = h.f(u);
            Point2D.Double c = h.p(u, 0.0);
            centres[i++] = c;
            if (f < 0.1) {
                continue;
            }
            double w = a * 0.46 * (0.3 + 0.7 * f);
            RoundRectangle2D.Double lens = new RoundRectangle2D.Double(c.x - w / 2, c.y - a * 0.16, w, a * 0.3,
                    a * 0.12, a * 0.12);
            g.setColor(new Color(200, 220, 235, 40));
            g.fill(lens);
            g.setColor(new Color(30, 30, 35));
            g.draw(lens);
        }
        g.draw(new java.awt.geom.Line2D.Double(centres[0].x + a * 0.2, centres[0].y - a * 0.03,
                centres[1].x - a * 0.2, centres[1].y - a * 0.03));
    }

    private void drawOccluder(Graphics2D g, Head h, EmotionScript.Event occ, double t) {
        double a = h.a();
        double b = h.b();
        double side = occ.side();
        if (side > 0) { // a hand over mouth and cheek
            Color hand = darker(id.skin(), 0.95);
            g.setPaint(new GradientPaint((float) (h.cx() - a), (float) h.cy(), hand,
                    (float) (h.cx() + a), (float) (h.cy() + b), darker(hand, 0.75)));
            g.fill(new RoundRectangle2D.Double(h.cx() - a * 0.9, h.cy() + b * 0.05, a * 1.7, b * 0.9, a * 0.5, a * 0.5));
            g.setColor(darker(hand, 0.7));
            g.setStroke(new BasicStroke((float) (a * 0.02)));
            for (int k = 1; k < 4; k++) {
                double y = h.cy() + b * (0.05 + 0.22 * k);
                g.draw(new java.awt.geom.Line2D.Double(h.cx() - a * 0.85, y, h.cx() + a * 0.4, y));
            }
        } else { // a sheet of paper or a mug raised in front of the face
            g.setColor(new Color(235, 235, 228));
            g.fill(new java.awt.geom.Rectangle2D.Double(h.cx() - a * 1.2, h.cy() - b * 0.55, a * 2.1, b * 1.3));
            g.setColor(new Color(120, 120, 130));
            for (int k = 0; k < 8; k++) {
                double y = h.cy() - b * 0.4 + k * b * 0.14;
                g.fill(new java.awt.geom.Rectangle2D.Double(h.cx() - a * 1.0, y, a * (1.2 + 0.5 * ((k * 7) % 3) / 2.0),
                        b * 0.03));
            }
        }
    }

    private void drawLighting(Graphics2D g, double t) {
        double ang = lightAngle + (lightingChanges ? 1.6 * Math.sin(t * 0.13) : 0.2 * Math.sin(t * 0.1));
        int dark = lightingChanges ? (int) (85 + 70 * Math.sin(t * 0.21 + lightAngle)) : 85;
        float dx = (float) (Math.cos(ang) * width * 0.6);
        float dy = (float) (Math.sin(ang) * height * 0.6);
        // Fixed width: the gradient spans the frame whatever the angle, so it never collapses into a seam.
        g.setPaint(new GradientPaint(width / 2f - dx, height / 2f - dy, new Color(255, 245, 230, 45),
                width / 2f + dx, height / 2f + dy, new Color(0, 0, 20, Math.max(0, Math.min(255, dark)))));
        g.fillRect(0, 0, width, height);
    }

    private void addNoise(BufferedImage frame, int offset) {
        byte[] px = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) clampLut[(px[i] & 0xFF) + noise[i + offset] + 32];
        }
    }

    private static BufferedImage background(int w, int h, Random r) {
        BufferedImage bg = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bg.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color wall = Color.getHSBColor(r.nextFloat(), 0.1f + r.nextFloat() * 0.25f, 0.55f + r.nextFloat() * 0.35f);
        g.setPaint(new GradientPaint(0, 0, wall, w, h, darker(wall, 0.7)));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 18; i++) {
            Color c = Color.getHSBColor(r.nextFloat(), 0.2f + r.nextFloat() * 0.5f, 0.2f + r.nextFloat() * 0.7f);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 120 + r.nextInt(120)));
            double x = r.nextDouble() * w;
            double y = r.nextDouble() * h;
            double s = (0.05 + r.nextDouble() * 0.2) * h;
            switch (r.nextInt(3)) {
                case 0 -> g.fill(new java.awt.geom.Rectangle2D.Double(x, y, s * (0.5 + r.nextDouble()), s));
                case 1 -> g.fill(new Ellipse2D.Double(x, y, s, s * (0.5 + r.nextDouble())));
                default -> {
                    g.setStroke(new BasicStroke((float) (2 + r.nextDouble() * 6)));
                    g.draw(new java.awt.geom.Line2D.Double(x, y, x + s * 2, y + (r.nextDouble() - 0.5) * s));
                }
            }
        }
        g.dispose();
        return bg;
    }

    /** Brows dark enough to read on any skin: the hair colour, pulled towards near-black on dark skin. */
    private Color browColor() {
        Color hair = darker(id.hair(), 0.8);
        double skinLight = (id.skin().getRed() + id.skin().getGreen() + id.skin().getBlue()) / 765.0;
        return skinLight < 0.55 ? blend(hair, new Color(15, 10, 8), 0.7) : hair;
    }

    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.max(0, Math.min(255, alpha)));
    }

    static Color darker(Color c, double f) {
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
    }

    static Color lighter(Color c, double f) {
        return darker(c, f);
    }

    static Color blend(Color a, Color b, double w) {
        return new Color(clamp(a.getRed() * (1 - w) + b.getRed() * w), clamp(a.getGreen() * (1 - w) + b.getGreen() * w),
                clamp(a.getBlue() * (1 - w) + b.getBlue() * w));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
