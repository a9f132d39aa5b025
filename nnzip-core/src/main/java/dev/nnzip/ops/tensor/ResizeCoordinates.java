package dev.nnzip.ops.tensor;

/**
 * Resize's {@code coordinate_transformation_mode}: where output coordinate {@code x} of an axis falls in the input. The
 * formulas are the ONNX spec's (Resize-11..19) as its reference implementation evaluates them, with
 * {@code lengthResized = scale · lengthOriginal} as a real number (so align_corners with a scale that does not divide
 * the axis uses the unrounded length, as the backend tests expect).
 */
enum ResizeCoordinates {
    HALF_PIXEL, HALF_PIXEL_SYMMETRIC, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC, TF_HALF_PIXEL_FOR_NN,
    TF_CROP_AND_RESIZE;

    static ResizeCoordinates parse(String name, int opset) {
        ResizeCoordinates c = switch (name) {
            case "half_pixel" -> HALF_PIXEL;
            case "half_pixel_symmetric" -> HALF_PIXEL_SYMMETRIC;
            case "pytorch_half_pixel" -> PYTORCH_HALF_PIXEL;
            case "align_corners" -> ALIGN_CORNERS;
            case "asymmetric" -> ASYMMETRIC;
            case "tf_half_pixel_for_nn" -> TF_HALF_PIXEL_FOR_NN;
            case "tf_crop_and_resize" -> TF_CROP_AND_RESIZE;
            default -> throw new IllegalArgumentException("Resize coordinate_transformation_mode '" + name
                    + "' is not one of [half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, "
                    + "asymmetric, tf_half_pixel_for_nn, tf_crop_and_resize]");
        };
        if (c == HALF_PIXEL_SYMMETRIC && opset < 19) {
            throw new IllegalArgumentException("Resize coordinate_transformation_mode 'half_pixel_symmetric' needs "
                    + "opset 19, the model has " + opset);
        }
        return c;
    }

    /**
     * The input coordinate of output coordinate {@code x}, or NaN when tf_crop_and_resize puts it outside the input
     * (the output then takes {@code extrapolation_value}).
     *
     * @param scale     the axis' scale factor (output length / input length, as given or derived from sizes)
     * @param inLen     input length of the axis
     * @param outLen    output length of the axis (an integer)
     * @param roiStart  normalized region-of-interest start (tf_crop_and_resize only)
     * @param roiEnd    normalized region-of-interest end (tf_crop_and_resize only)
     */
    double toInput(int x, double scale, int inLen, int outLen, double roiStart, double roiEnd) {
        double resized = scale * inLen;
        return switch (this) {
            case HALF_PIXEL -> (x + 0.5) / scale - 0.5;
            case HALF_PIXEL_SYMMETRIC -> {
                // maps the centre of the input to the centre of the output when outLen was rounded from scale·inLen
                double offset = inLen / 2.0 * (1 - outLen / resized);
                yield offset + (x + 0.5) / scale - 0.5;
            }
            // the spec's "length_resized > 1 ? ... : 0" (ONNX Runtime agrees)
            case PYTORCH_HALF_PIXEL -> outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
            case ALIGN_CORNERS -> resized == 1 ? 0 : x * (inLen - 1) / (resized - 1);
            case ASYMMETRIC -> x / scale;
            case TF_HALF_PIXEL_FOR_NN -> (x + 0.5) / scale;
            case TF_CROP_AND_RESIZE -> {
                double v = resized == 1 ? (roiEnd - roiStart) * (inLen - 1) / 2
                        : x * (roiEnd - roiStart) * (inLen - 1) / (resized - 1);
                v += roiStart * (inLen - 1);
                yield v < 0 || v > inLen - 1 ? Double.NaN : v;
            }
        };
    }
}
