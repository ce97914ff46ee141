/// A clipping component whose behaviour depends on the steps it has seen, with that state
/// explicit: it can be saved with a checkpoint, restored from one, and reset.
///
/// Conforming types: the stateful clippers (``StatefulGradientClipper``: ``AdaGCClipper``,
/// ``AutoClipClipper``, ``ZClipClipper``) and the step guards that decide whether an optimizer
/// step should be skipped (``SpikeDetector``, ``NonFiniteStepSkipper``).
///
/// The state is a ``ClipperState``: named arrays of `Double`, which a checkpoint writer can store
/// without knowing the component (one `F64` tensor per array in a safetensors file, or `Codable`).
/// The hyperparameters are not part of it: they are the component's configuration, given again
/// when it is created, and a restored state is checked against them.
///
/// Guarantees every conforming type keeps:
/// - Saving and restoring is exact: a component restored from `state` into a fresh component of
///   the same configuration, then given the same gradients, returns the same reports and leaves
///   the same gradients, bit for bit, as the original would have.
/// - ``restore(_:)`` checks the whole state first (its kind, that exactly the expected arrays
///   are there, their lengths, that every value is finite and in range, that a history is no
///   longer than the configuration allows). On an error it throws a ``ClippingError`` naming
///   the array (`state.<name>`) and changes nothing.
/// - ``resetState()`` returns to the state of a freshly created component.
///
/// ```swift
/// var clipper = try AdaGCClipper()
/// for gradients in firstHalf { _ = try clipper.clip(&gradients) }
/// let checkpoint = clipper.state
/// // ... later, in another process:
/// var resumed = try AdaGCClipper()
/// try resumed.restore(checkpoint)
/// ```
public protocol StatefulClippingComponent {
  /// The current state, in portable form.
  var state: ClipperState { get }

  /// Replaces the state with `state`, saved earlier by a component of the same kind and
  /// configuration.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` or
  ///   ``ClippingError/elementCountMismatch(argument:expected:actual:)`` naming the array that
  ///   is wrong; nothing changes when it throws.
  mutating func restore(_ state: ClipperState) throws(ClippingError)

  /// Forgets everything seen: the component behaves as if just created.
  mutating func resetState()
}
