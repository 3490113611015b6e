package dev.jgen.model.imported;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.jgen.nn.Backend;
import dev.jgen.nn.ChannelPaddedConv2d;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras functional model saved in the TF.js layers format ({@code model.json} with the graph and a
 * weights manifest, plus float32 shards), rebuilt for inference on jgen's engine. Layers supported:
 * InputLayer, Conv2D (stride 1; "same" or "valid" padding), Activation and the ReLU layer, Add,
 * Concatenate, UpSampling2D (nearest). Images go in and come out as jgen lays them out, (N, C, H, W);
 * the Keras channels-last axes are translated once, when the model loads.
 */
public final class KerasModel implements AutoCloseable {
    /** One node of the graph: its inputs, by layer name, and what it computes from them. */
    private record Node(String name, List<String> inputs, Layer layer) {}

    @FunctionalInterface
    private interface Layer {
        NDArray apply(List<NDArray> inputs);
    }

    private final Path file;
    private final NDManager manager;
    private final List<Node> nodes = new ArrayList<>();
    private final String input;
    private final String output;
    private final long inputChannels;

    private KerasModel(Path file, JsonObject json) {
        this.file = file;
        this.manager = Backend.newManager();
        JsonObject config = json.getAsJsonObject("modelTopology").getAsJsonObject("model_config").getAsJsonObject("config");
        Map<String, NDArray> weights = readWeights(json.getAsJsonArray("weightsManifest"));
        String first = null;
        long channels = -1;
        for (JsonElement element : config.getAsJsonArray("layers")) {
            JsonObject layer = element.getAsJsonObject();
            String kind = layer.get("class_name").getAsString();
            String name = layer.get("name").getAsString();
            JsonObject options = layer.getAsJsonObject("config");
            if (kind.equals("InputLayer")) {
                first = name;
                JsonArray shape = options.getAsJsonArray("batch_input_shape");
                channels = shape.get(shape.size() - 1).getAsLong();
                continue;
            }
            nodes.add(new Node(name, inboundNames(layer), layerOf(kind, name, options, weights)));
        }
        this.input = first;
        this.inputChannels = channels;
        this.output = config.getAsJsonArray("output_layers").get(0).getAsJsonArray().get(0).getAsString();
    }

    /** Reads {@code model.json} and the weight shards beside it. */
    public static KerasModel load(Path modelJson) {
        if (!Files.isRegularFile(modelJson)) {
            throw new ImportException(modelJson.toAbsolutePath() + " does not exist: a TF.js layers model is a model.json with its .bin shards beside it.");
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(modelJson)).getAsJsonObject();
            if (!json.has("modelTopology") || !json.has("weightsManifest")) {
                throw new ImportException(modelJson + " is not a TF.js layers model: it has no modelTopology and weightsManifest.");
            }
            return new KerasModel(modelJson, json);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImportException known) {
                throw known;
            }
            throw new ImportException(modelJson + " could not be read as a TF.js layers model: " + e.getMessage(), e);
        }
    }

    /** The channels an input image must have. */
    public long inputChannels() {
        return inputChannels;
    }

    /** The model's output for a batch of images (N, C, H, W), in the caller's manager. */
    public NDArray predict(NDArray images) {
        if (images.getShape().dimension() != 4 || images.getShape().get(1) != inputChannels) {
            throw new IllegalArgumentException("this model takes images of shape (N, " + inputChannels + ", H, W), got " + images.getShape());
        }
        Backend.inferenceMode();
        NDManager caller = images.getManager();
        try (NDManager m = caller.newSubManager()) {
            Map<String, NDArray> values = new HashMap<>();
            values.put(input, images);
            for (Node node : nodes) {
                List<NDArray> inputs = new ArrayList<>();
                for (String name : node.inputs()) {
                    inputs.add(values.get(name));
                }
                NDArray result = node.layer().apply(inputs);
                result.attach(m);
                values.put(node.name(), result);
            }
            NDArray result = values.get(output);
            result.attach(caller);
            return result;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Keras model from " + file + " (" + nodes.size() + " layers)";
    }

    private static List<String> inboundNames(JsonObject layer) {
        List<String> names = new ArrayList<>();
        JsonArray inbound = layer.getAsJsonArray("inbound_nodes");
        if (inbound.size() != 1) {
            throw new ImportException("layer " + layer.get("name").getAsString() + " is used " + inbound.size() + " times; shared layers are not supported");
        }
        for (JsonElement edge : inbound.get(0).getAsJsonArray()) {
            names.add(edge.getAsJsonArray().get(0).getAsString());
        }
        return names;
    }

    private Layer layerOf(String kind, String name, JsonObject options, Map<String, NDArray> weights) {
        switch (kind) {
            case "Conv2D":
                return conv2d(name, options, weights);
            case "Activation":
                return activation(name, options.get("activation").getAsString());
            case "ReLU":
                return inputs -> Activation.relu(inputs.get(0));
            case "Add":
                return inputs -> {
                    NDArray sum = inputs.get(0);
                    for (NDArray term : inputs.subList(1, inputs.size())) {
                        sum = sum.add(term);
                    }
                    return sum;
                };
            case "Concatenate":
                int axis = channelsFirstAxis(options.get("axis").getAsInt(), name);
                return inputs -> NDArrays.concat(new NDList(inputs), axis);
            case "UpSampling2D":
                requireOption(name, options, "interpolation", "nearest");
                JsonArray size = options.getAsJsonArray("size");
                int rows = size.get(0).getAsInt();
                int columns = size.get(1).getAsInt();
                return inputs -> inputs.get(0).repeat(2, rows).repeat(3, columns);
            default:
                throw new ImportException("layer " + name + " is a " + kind + ", which jgen's Keras loader cannot build yet; it builds "
                        + "InputLayer, Conv2D, Activation, ReLU, Add, Concatenate and UpSampling2D.");
        }
    }

    private Layer conv2d(String name, JsonObject options, Map<String, NDArray> weights) {
        requireOption(name, options, "data_format", "channels_last");
        for (String option : new String[] {"strides", "dilation_rate"}) {
            JsonArray values = options.getAsJsonArray(option);
            if (values.get(0).getAsInt() != 1 || values.get(1).getAsInt() != 1) {
                throw new ImportException("layer " + name + " has " + option + " " + values + "; jgen's Keras loader builds only 1 x 1");
            }
        }
        NDArray kernel = weights.get(name + "/kernel");
        if (kernel == null) {
            throw new ImportException("the weights have no " + name + "/kernel for layer " + name);
        }
        // Keras keeps (kh, kw, in, out); libtorch wants (out, in, kh, kw).
        NDArray weight = kernel.transpose(3, 2, 0, 1);
        weight.attach(manager);
        NDArray bias = options.get("use_bias").getAsBoolean() ? weights.get(name + "/bias") : null;
        long kh = weight.getShape().get(2);
        long kw = weight.getShape().get(3);
        boolean same = options.get("padding").getAsString().equals("same");
        if (same && (kh % 2 == 0 || kw % 2 == 0)) {
            throw new ImportException("layer " + name + " pads an even kernel (" + kh + " x " + kw + ") to 'same', which is asymmetric in Keras and not supported");
        }
        Shape padding = same ? new Shape(kh / 2, kw / 2) : new Shape(0, 0);
        Layer activation = activation(name, options.get("activation").getAsString());
        return inputs -> activation.apply(List.of(
                ChannelPaddedConv2d.convolve(inputs.get(0), weight, bias, new Shape(1, 1), padding)));
    }

    private static Layer activation(String name, String function) {
        switch (function) {
            case "linear":
                return inputs -> inputs.get(0);
            case "relu":
                return inputs -> Activation.relu(inputs.get(0));
            case "sigmoid":
                return inputs -> Activation.sigmoid(inputs.get(0));
            case "tanh":
                return inputs -> Activation.tanh(inputs.get(0));
            default:
                throw new ImportException("layer " + name + " uses the activation '" + function + "'; jgen's Keras loader knows linear, relu, sigmoid and tanh");
        }
    }

    /** A channels-last axis of a 4-D tensor, as an axis of jgen's (N, C, H, W). */
    private static int channelsFirstAxis(int keras, String name) {
        switch (keras) {
            case -1:
            case 3:
                return 1;
            case 1:
                return 2;
            case 2:
                return 3;
            default:
                throw new ImportException("layer " + name + " concatenates along axis " + keras + ", which 4-D images do not have");
        }
    }

    private static void requireOption(String name, JsonObject options, String option, String expected) {
        if (options.has(option) && !options.get(option).getAsString().equals(expected)) {
            throw new ImportException("layer " + name + " has " + option + " '" + options.get(option).getAsString()
                    + "'; jgen's Keras loader builds only '" + expected + "'");
        }
    }

    /** Every weight in the manifest, by name, read from the shards in order (they are one byte stream split in files). */
    private Map<String, NDArray> readWeights(JsonArray manifest) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (JsonElement groupElement : manifest) {
            JsonObject group = groupElement.getAsJsonObject();
            ByteBuffer bytes = readShards(group.getAsJsonArray("paths"));
            for (JsonElement entry : group.getAsJsonArray("weights")) {
                JsonObject weight = entry.getAsJsonObject();
                String dtype = weight.get("dtype").getAsString();
                if (!dtype.equals("float32") || weight.has("quantization")) {
                    throw new ImportException("weight " + weight.get("name").getAsString() + " is stored as " + dtype
                            + (weight.has("quantization") ? ", quantized" : "") + "; jgen reads unquantized float32 weights");
                }
                JsonArray dims = weight.getAsJsonArray("shape");
                long[] shape = new long[dims.size()];
                int count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).getAsLong();
                    count *= (int) shape[i];
                }
                float[] values = new float[count];
                if (bytes.remaining() < 4L * count) {
                    throw new ImportException("the weight shards beside " + file + " end before weight " + weight.get("name").getAsString()
                            + ": a shard is missing or cut short");
                }
                bytes.asFloatBuffer().get(values);
                bytes.position(bytes.position() + 4 * count);
                weights.put(weight.get("name").getAsString(), manager.create(values, new Shape(shape)));
            }
        }
        return weights;
    }

    private ByteBuffer readShards(JsonArray paths) {
        try {
            List<byte[]> shards = new ArrayList<>();
            int total = 0;
            for (JsonElement path : paths) {
                byte[] shard = Files.readAllBytes(file.resolveSibling(path.getAsString()));
                shards.add(shard);
                total += shard.length;
            }
            ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            shards.forEach(all::put);
            return all.flip();
        } catch (IOException e) {
            throw new ImportException("a weight shard of " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
