package dev.jgen.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import dev.jgen.data.Dataset;
import dev.jgen.eval.Pca;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.Interpolation;
import dev.jgen.model.LatentDirection;
import dev.jgen.model.LatentExplorer;
import dev.jgen.model.LatentModel;
import dev.jgen.model.ModelBase;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Losses;
import dev.jgen.nn.Ops;
import dev.jgen.plot.Charts;
import dev.jgen.plot.Figure;
import dev.jgen.plot.Samples;
import dev.jgen.train.Adam;
import dev.jgen.train.Terms;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.jgen.model.Require.positive;

/**
 * Variational autoencoder. The encoder maps x to the mean and log-variance of q(z|x); the decoder maps
 * z to Bernoulli logits (images in [0, 1]) or to a Gaussian mean and log-variance (points). Training
 * maximises the ELBO = E_q[log p(x|z)] - KL(q(z|x) || N(0, I)) with one reparameterised sample.
 * The networks are built at the first {@code fit}, when the data's shape is known.
 */
public final class Vae extends ModelBase implements LatentModel {
    static final String FAMILY = "vae";
    private static final int EVAL_BATCH = 500;
    /** Codes the explorer's principal directions come from: enough for a stable covariance of a small latent. */
    private static final int EXPLORE_CODES = 2000;
    private static final double LEARNING_RATE = 1e-3;
    private static final int PROBE_IMAGES = 16;
    private static final int PROBE_POINTS = 500;
    /** log σ² of q(z|x): σ between e^-6 and e^3; the KL term keeps it near 1 anyway. */
    private static final double[] ENCODER_LOG_VAR = {-12, 6};
    /** log σ² of the Gaussian p(x|z) for points: σ between about 0.01 and 20. */
    private static final double[] DECODER_LOG_VAR = {-9, 6};

    private final VaeConfig config;
    private SequentialBlock encoder;
    private SequentialBlock decoder;

    Vae(VaeConfig config) {
        super(FAMILY, "VAE", new Adam());
        this.config = config;
    }

    // ---------------------------------------------------------------- networks

    @Override
    protected void build() {
        encoder = VaeNetworks.encoder(config, exampleShape);
        decoder = VaeNetworks.decoder(config, exampleShape);
        encoder.initialize(manager, DataType.FLOAT32, shapeOf(1));
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, config.latent()));
    }

    @Override
    public Map<String, Block> networks() {
        return Map.of("encoder", encoder, "decoder", decoder);
    }

    /** Mean and log-variance of q(z|x). */
    private NDList encodeStats(NDArray x, boolean training) {
        NDArray stats = encoder.forward(parameters, new NDList(x), training).singletonOrThrow();
        NDList meanAndLogVar = stats.split(2, 1);
        return new NDList(meanAndLogVar.get(0), boundedLogVar(meanAndLogVar.get(1), ENCODER_LOG_VAR));
    }

    /**
     * Log-variances stay in a sane range: an unlucky initialisation can otherwise start at a variance
     * of e^±40, whose first gradient overflows Adam's second moment and turns every weight into NaN.
     */
    private static NDArray boundedLogVar(NDArray logVar, double[] range) {
        return Ops.clamp(logVar, range[0], range[1], logVar.getManager());
    }

    private NDArray decodeRaw(NDArray z, boolean training) {
        return decoder.forward(parameters, new NDList(z), training).singletonOrThrow();
    }

    /** Reconstruction and KL terms per example for a batch x of shape (B, example shape). */
    private NDArray[] negativeElboTerms(NDArray x, NDManager m, boolean training) {
        NDList stats = encodeStats(x, training);
        NDArray mu = stats.get(0);
        NDArray logVar = stats.get(1);
        NDArray eps = m.randomNormal(mu.getShape());
        NDArray z = mu.add(logVar.mul(Ops.scalar(m, 0.5)).exp().mul(eps));
        return new NDArray[] {reconstructionNll(x, z, m, training), Losses.gaussianKl(mu, logVar, m)};
    }

    /** -log p(x|z) per example, for a batch x and one latent per example. */
    private NDArray reconstructionNll(NDArray x, NDArray z, NDManager m, boolean training) {
        NDArray out = decodeRaw(z, training);
        NDArray target = x.reshape(x.getShape().get(0), -1);
        if (images) {
            return Losses.bernoulliNll(out, target);
        }
        NDList meanAndLogVar = out.split(2, 1);
        return Losses.gaussianNll(meanAndLogVar.get(0), boundedLogVar(meanAndLogVar.get(1), DECODER_LOG_VAR), target, m);
    }

    /**
     * The importance-weighted bound (Burda et al., 2016) with {@code samples} latents per example, in nats per
     * example: log mean_k p(x, z_k) / q(z_k | x). It lies between the ELBO (k = 1) and log p(x), closer with more k.
     */
    public double importanceWeightedBound(Dataset data, int samples) {
        requireTrained(data, "importanceWeightedBound");
        positive("importanceWeightedBound: samples", samples);
        Backend.inferenceMode();
        double sum = 0;
        int batch = Math.max(1, EVAL_BATCH / samples);
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            int n = to - from;
            try (NDManager m = manager.newSubManager()) {
                NDArray x = data.batch(m, from, to, null).toDevice(device(), false);
                NDList stats = encodeStats(x, false);
                // Every example repeated k times, one after another: rows i*k .. i*k+k-1 belong to example i.
                NDArray mu = stats.get(0).repeat(0, samples);
                NDArray logVar = stats.get(1).repeat(0, samples);
                NDArray eps = m.randomNormal(mu.getShape());
                NDArray z = mu.add(logVar.mul(Ops.scalar(m, 0.5)).exp().mul(eps));
                NDArray halfLog2Pi = Ops.scalar(m, 0.5 * Math.log(2 * Math.PI));
                NDArray logPrior = z.square().mul(Ops.scalar(m, -0.5)).sub(halfLog2Pi).sum(new int[] {1});
                NDArray logPosterior = eps.square().add(logVar).mul(Ops.scalar(m, -0.5)).sub(halfLog2Pi).sum(new int[] {1});
                NDArray logWeights = reconstructionNll(x.repeat(0, samples), z, m, false).neg().add(logPrior).sub(logPosterior)
                        .reshape(n, samples);
                NDArray max = logWeights.max(new int[] {1}, true);
                NDArray logMean = logWeights.sub(max).exp().mean(new int[] {1}).log().add(max.squeeze(1));
                sum += logMean.sum().getFloat();
            }
        }
        return sum / data.size();
    }

    // ---------------------------------------------------------------- training

    /**
     * The negative ELBO on a batch x (B, example shape), averaged over the batch: "loss" = "recon" + "kl".
     * Recorded for gradients when called inside a gradient collector; arrays live in x's manager.
     */
    public Terms objective(NDArray x) {
        NDArray[] terms = negativeElboTerms(x, x.getManager(), true);
        NDArray recon = terms[0].mean();
        NDArray kl = terms[1].mean();
        return Terms.loss("loss", recon.add(kl)).and("recon", recon).and("kl", kl);
    }

    @Override
    protected Map<String, Double> trainingStep(NDArray x, NDArray labels, double learningRate) {
        return adam.minimise(() -> objective(x), networks(), learningRate);
    }

    @Override
    protected List<String> metrics() {
        return List.of("loss", "recon", "kl");
    }

    @Override
    protected double defaultLearningRate() {
        return LEARNING_RATE;
    }

    /** Decodings of the same latents throughout training, so the dashboard shows the model learning. */
    @Override
    protected Samples probeSamples() {
        int n = images ? PROBE_IMAGES : PROBE_POINTS;
        return decodeLatents("VAE probe", n, config.latent(), true, z -> decodedMean(z, z.getManager(), !images));
    }

    // ---------------------------------------------------------------- inference

    /** Means of q(z|x) for a batch x (B, example shape), in x's manager. */
    public NDArray encode(NDArray x) {
        requireTrained("encode");
        Backend.inferenceMode();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray mu = encodeStats(copyInto(x, scratch), false).get(0);
            return copyInto(mu, x.getManager());
        }
    }

    /** Latent means of every example of {@code data}, (N, latent); the array lives as long as this model. */
    public NDArray encode(Dataset data) {
        requireTrained(data, "encode");
        return manager.create(latentMeans(data), new Shape(data.size(), config.latent()));
    }

    /**
     * Sliders along the principal directions of the training data's latent codes (up to 6, the direction of
     * largest variance first; the prior's axes for a model loaded from disk), the decoded image redrawn as they
     * move: {@code vae.explore()} in a cell.
     */
    public LatentExplorer explore() {
        requireTrained("explore");
        int latent = config.latent();
        int k = Math.min(latent, EXPLORE_SLIDERS);
        Dataset data = trainingData();
        if (data == null) {
            float[][] axes = new float[k][latent];
            for (int c = 0; c < k; c++) {
                axes[c][c] = 1;
            }
            return explorer("VAE latent explorer", new float[latent], axes, z -> decodedMean(z, z.getManager(), false));
        }
        Pca.Components codes = Pca.components(latentMeans(data.take(Math.min(data.size(), EXPLORE_CODES))), latent, k);
        double[] deviations = Arrays.stream(codes.variances()).map(Math::sqrt).toArray();
        return explorer("VAE latent explorer", codes.mean(), codes.directions(), deviations, z -> decodedMean(z, z.getManager(), false));
    }

    /** Mean of p(x|z) for latents z (B, latent): images in [0, 1] or points, in z's manager. */
    public NDArray decode(NDArray z) {
        requireTrained("decode");
        Backend.inferenceMode();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray mean = decodedMean(copyInto(z, scratch), scratch, false);
            return copyInto(mean, z.getManager());
        }
    }

    /** Decoded means shaped like the data (B, example shape); with noise, a sample of p(x|z) for points. */
    private NDArray decodedMean(NDArray z, NDManager m, boolean addNoise) {
        NDArray out = decodeRaw(z, false);
        NDArray mean;
        if (images) {
            mean = Ops.sigmoid(out);
        } else {
            NDList meanAndLogVar = out.split(2, 1);
            mean = meanAndLogVar.get(0);
            if (addNoise) {
                NDArray std = boundedLogVar(meanAndLogVar.get(1), DECODER_LOG_VAR).mul(Ops.scalar(m, 0.5)).exp();
                mean = mean.add(std.mul(m.randomNormal(mean.getShape())));
            }
        }
        return mean.reshape(shapeOf(z.getShape().get(0)));
    }

    @Override
    public Samples sample(int n) {
        requireTrained("sample");
        positive("sample(n): n", n);
        return decodeLatents("VAE samples", n, config.latent(), false, z -> decodedMean(z, z.getManager(), true));
    }

    /** The first row shows the examples, the second their reconstructions (for points: the reconstructions). */
    public Samples reconstruct(Dataset examples) {
        requireTrained(examples, "reconstruct");
        Backend.inferenceMode();
        int n = examples.size();
        try (NDManager m = manager.newSubManager()) {
            NDArray x = examples.batch(m, 0, n, null).toDevice(device(), false);
            NDArray mu = encodeStats(x, false).get(0);
            float[] recon = decodedMean(mu, m, false).toFloatArray();
            if (!images) {
                return new Samples("VAE reconstructions", recon, samplesShape(n), n);
            }
            float[] both = new float[2 * recon.length];
            System.arraycopy(examples.toFloatArray(), 0, both, 0, recon.length);
            System.arraycopy(recon, 0, both, recon.length, recon.length);
            return new Samples("originals (top) and VAE reconstructions (bottom)", both, shapeOf(2L * n), n);
        }
    }

    @Override
    public Interpolation interpolate(Dataset endpoints, int steps) {
        return walkThroughLatents("VAE latent interpolation", endpoints, steps, Interpolation.Kind.LINEAR, config.latent(),
                x -> encodeStats(x, false).get(0), z -> decodedMean(z, z.getManager(), false));
    }

    /**
     * {@code n} variations of the first example, a design: its latent mean moved by Gaussian noise of standard
     * deviation {@code spread} (0: its reconstruction; 1: as varied as the prior), decoded.
     */
    public Samples vary(Dataset example, int n, double spread) {
        requireTrained(example, "vary");
        float[] center = Arrays.copyOf(latentMeans(example.take(1)), config.latent());
        return decodeAround("VAE variations (spread " + spread + ")", center, n, spread, z -> decodedMean(z, z.getManager(), false));
    }

    /** The latent direction from {@code from} to {@code to}: the difference of their mean latent means (e.g. sneakers to boots). */
    public LatentDirection direction(Dataset from, Dataset to) {
        requireTrained(from, "direction");
        requireTrained(to, "direction");
        return LatentDirection.between(from.name() + " -> " + to.name(), latentMeans(from), latentMeans(to), config.latent());
    }

    /** One row per example: its reconstruction moved along {@code direction} in 5 steps from 0 to {@code amount}. */
    public Samples edit(Dataset examples, LatentDirection direction, double amount) {
        return edit(examples, direction, amount, EDIT_STEPS);
    }

    public Samples edit(Dataset examples, LatentDirection direction, double amount, int steps) {
        requireTrained(examples, "edit");
        return decodeAlong("VAE edits along " + direction.name() + ", 0 to " + amount, latentMeans(examples), direction, amount, steps,
                z -> decodedMean(z, z.getManager(), false));
    }

    /** Latent means of {@code data} as a 2-D scatter coloured by label (first two principal components when latent > 2). */
    public Figure latentMap(Dataset data) {
        requireTrained(data, "latentMap");
        float[] means = latentMeans(data);
        int latent = config.latent();
        float[] points = latent == 2 ? means : Pca.project2d(means, latent);
        String title = latent == 2 ? "latent means" : "latent means (first 2 principal components of " + latent + "-d)";
        if (latent == 1) {
            points = new float[2 * data.size()];
            for (int i = 0; i < data.size(); i++) {
                points[2 * i] = means[i];
            }
            title = "latent means (1-d)";
        }
        return Charts.scatter(title, points, data.hasLabels() ? data.labels() : null, data.classNames());
    }

    private float[] latentMeans(Dataset data) {
        Backend.inferenceMode();
        float[] out = new float[data.size() * config.latent()];
        for (int from = 0; from < data.size(); from += EVAL_BATCH) {
            int to = Math.min(data.size(), from + EVAL_BATCH);
            try (NDManager m = manager.newSubManager()) {
                float[] mu = encodeStats(data.batch(m, from, to, null).toDevice(device(), false), false).get(0).toFloatArray();
                System.arraycopy(mu, 0, out, from * config.latent(), mu.length);
            }
        }
        return out;
    }

    /** The evidence lower bound, in nats per example, averaged over {@code data} (one sample of z each). */
    public double elbo(Dataset data) {
        requireTrained(data, "elbo");
        Backend.inferenceMode();
        double sum = 0;
        for (int from = 0; from < data.size(); from += EVAL_BATCH) {
            int to = Math.min(data.size(), from + EVAL_BATCH);
            try (NDManager m = manager.newSubManager()) {
                NDArray[] terms = negativeElboTerms(data.batch(m, from, to, null).toDevice(device(), false), m, false);
                sum -= terms[0].add(terms[1]).sum().getFloat();
            }
        }
        return sum / data.size();
    }

    // ---------------------------------------------------------------- the rest of the contract

    @Override
    protected VaeConfig config() {
        return config;
    }

    /** Rebuilds a VAE written by {@link #save}, ready to sample or to continue training. */
    public static Vae load(Path dir) {
        Checkpoint.Saved saved = Checkpoint.read(dir, FAMILY);
        Vae vae = new Vae(saved.config(VaeConfig.class));
        vae.restore(saved);
        return vae;
    }

    @Override
    public String toString() {
        String kind = config.conv() ? "convolutional" : "MLP " + Arrays.toString(config.hidden());
        return String.format("VAE (%s, latent %d, %s likelihood), %s, device %s", kind, config.latent(),
                encoder == null ? "chosen from the data" : images ? "Bernoulli" : "Gaussian", state(), device());
    }
}
