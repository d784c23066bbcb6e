package dev.emotion.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction and weight decay decoupled from the gradient.
 * Written here rather than taken from DJL so that its state (moments, step) is saved with checkpoints and a resumed
 * run continues exactly where it stopped.
 */
public final class AdamW {

    private final List<NDArray> params;
    private final NDList m = new NDList();
    private final NDList v = new NDList();
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float eps = 1e-8f;
    private final float weightDecay;
    private long step;

    public AdamW(NDManager manager, List<NDArray> params, float weightDecay) {
        this.params = params;
        this.weightDecay = weightDecay;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape()));
            v.add(manager.zeros(p.getShape()));
        }
    }

    public long step() {
        return step;
    }

    /**
     * One update of every parameter from its gradient, then zeroes the gradient. Temporaries are closed at once:
     * results of NDArray operations belong to the operand's manager, here the long-lived parameter manager.
     */
    public void update(float lr) {
        step++;
        float c1 = (float) (1 - Math.pow(beta1, step));
        float c2 = (float) (1 - Math.pow(beta2, step));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            try (NDArray g = p.getGradient(); NDArray gm = g.mul(1 - beta1); NDArray g2 = g.square()) {
                m.get(i).muli(beta1).addi(gm);
                v.get(i).muli(beta2).addi(g2.muli(1 - beta2));
                try (NDArray update = m.get(i).div(c1); NDArray vhat = v.get(i).div(c2);
                     NDArray denom = vhat.sqrt()) {
                    update.divi(denom.addi(eps));
                    if (weightDecay > 0 && p.getShape().dimension() > 1) { // no decay on biases and norms
                        try (NDArray decay = p.mul(weightDecay)) {
                            update.addi(decay);
                        }
                    }
                    p.subi(update.muli(lr));
                }
            }
        }
        zeroGradients();
    }

    /**
     * Every gradient set to exactly zero by an in-place fill: {@code g - g} or {@code g * 0} leave NaN wherever a
     * gradient held Inf or NaN, and that NaN then reaches every later update (a ViT trained from scratch on the
     * benchmark study died of it in its first epoch).
     */
    public void zeroGradients() {
        for (NDArray p : params) {
            try (NDArray g = p.getGradient()) {
                g.set(ALL, 0f); // an indexed fill, in place on the gradient's own storage
            }
        }
    }

    private static final ai.djl.ndarray.index.NDIndex ALL = new ai.djl.ndarray.index.NDIndex("...");


    /** Moments and step, for checkpoints. */
    public byte[] state() {
        NDList all = new NDList();
        all.add(params.get(0).getManager().create(new long[] {step}));
        all.addAll(m);
        all.addAll(v);
        return all.encode();
    }

    public void restore(NDManager manager, byte[] state) {
        NDList all = NDList.decode(manager, state);
        step = all.get(0).toLongArray()[0];
        for (int i = 0; i < params.size(); i++) {
            m.get(i).set(all.get(1 + i).toFloatArray());
            v.get(i).set(all.get(1 + params.size() + i).toFloatArray());
        }
    }
}
