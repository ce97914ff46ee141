/// A clipper that adapts to the gradients it has seen, with its state explicit (see
/// ``StatefulClippingComponent``): it can be saved with a checkpoint, restored and reset.
///
/// Conforming types: ``AdaGCClipper``, ``AutoClipClipper``, ``ZClipClipper``. Training code
/// can hold one as `any StatefulGradientClipper`, clip with it like any ``GradientClipper``, and
/// save ``StatefulClippingComponent/state`` next to the model and the optimizer.
///
/// ```swift
/// var clipper: any StatefulGradientClipper = try ZClipClipper()
/// let report = try clipper.clip(&gradients)
/// checkpoint["clipper"] = clipper.state
/// ```
public protocol StatefulGradientClipper: GradientClipper, StatefulClippingComponent {}
