package dev.nnzip.ops.tensor;

import dev.nnzip.ops.OpRegistry;

/**
 * Registers the operators of the {@code ops.tensor} family: operators that move, select, reshape or generate elements
 * rather than compute with them. Each op's class documents the opsets it follows.
 */
public final class TensorOps {
    private TensorOps() {
    }

    public static void register(OpRegistry r) {
        // views: share the data array
        r.register("Identity", Identity::create);
        r.register("Flatten", Flatten::create);
        r.register("Reshape", Reshape::create);
        r.register("Squeeze", Squeeze::create);
        r.register("Unsqueeze", Unsqueeze::create);
        r.register("Dropout", Dropout::create);
        // strided copies
        r.register("Transpose", Transpose::create);
        r.register("Concat", Concat::create);
        r.register("Slice", Slice::create);
        r.register("Split", Split::create);
        r.register("Expand", Expand::create);
        r.register("Tile", Tile::create);
        r.register("Pad", Pad::create);
        r.register("DepthToSpace", DepthSpace::createDepthToSpace);
        r.register("SpaceToDepth", DepthSpace::createSpaceToDepth);
        // indexing
        r.register("Gather", Gather::create);
        r.register("GatherElements", GatherElements::create);
        r.register("GatherND", GatherND::create);
        r.register("ScatterND", ScatterND::create);
        r.register("ScatterElements", ScatterElements::create);
        r.register("Scatter", ScatterElements::create);
        r.register("NonZero", NonZero::create);
        r.register("OneHot", OneHot::create);
        r.register("TopK", TopK::create);
        r.register("Trilu", Trilu::create);
        r.register("CumSum", CumSum::create);
        // shapes and generators
        r.register("Shape", ShapeOf::create);
        r.register("Size", SizeOf::create);
        r.register("ConstantOfShape", ConstantOfShape::create);
        r.register("Range", Range::create);
        r.register("EyeLike", EyeLike::create);
        // resampling
        r.register("Resize", Resize::create);
        r.register("Upsample", Resize::createUpsample);
    }
}
