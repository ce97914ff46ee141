/// How a recurrent layer's hidden-to-hidden weights (`weight_hh_l*`) are initialised; every other
/// parameter is always PyTorch's default, uniform in `[-1/sqrt(hidden), 1/sqrt(hidden))`.
///
/// - ``pytorch``: PyTorch's default, the same uniform distribution. Its spectral radius is about
///   `1/sqrt(3)`, so a tanh RNN starts out forgetting quickly (vanishing gradients).
/// - ``orthogonal(gain:)``: each gate's `hidden x hidden` block is a random orthogonal matrix
///   times `gain` (Saxe et al. 2014; `torch.nn.init.orthogonal_(w, gain)` applied per gate). With
///   a gain near 1 signals and gradients keep their size across steps, which lets a tanh RNN learn
///   long-range dependencies, and lets its gradients explode (Pascanu et al. 2013).
///
/// ```swift
/// let rnn = Recurrent<Float>(.rnnTanh, inputSize: 2, hiddenSize: 64, recurrentInitialization: .orthogonal(gain: 1),
///                            store: store, name: "rnn", generator: &generator)
/// ```
public enum RecurrentInitialization: Sendable, Hashable {
  /// PyTorch's default uniform initialisation.
  case pytorch
  /// A random orthogonal matrix per gate, times `gain`.
  case orthogonal(gain: Double)
}
