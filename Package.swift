// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "gradclip",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "GradientClipping", targets: ["GradientClipping"]),
    .library(name: "Training", targets: ["Training"]),
    .library(name: "Experiments", targets: ["Experiments"]),
    .executable(name: "gradclip", targets: ["gradclip"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
  ],
  targets: [
    // The core: norms and clippers, no dependencies at all.
    .target(name: "GradientClipping"),
    // Hot micro-kernels in C with function-level target attributes (AVX2/FMA, AVX-512) chosen at
    // run time; portable Swift kernels in Training are the fallback and the reference.
    .target(name: "CTrainingKernels"),
    // The training engine: tensors, reverse-mode autodiff, layers, losses, optimizers.
    .target(name: "Training", dependencies: ["GradientClipping", "CTrainingKernels"]),
    // Tasks, models, the run loop, metrics and the report writers (HTML, CSV, JSON Lines,
    // TensorBoard event files).
    .target(
      name: "Experiments",
      dependencies: [
        "GradientClipping",
        "Training",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      resources: [.copy("Resources/tinyshakespeare.txt"), .copy("Resources/digits.csv")]
    ),
    // The command-line logic, a library so that tests can call it.
    .target(
      name: "GradclipCLI",
      dependencies: [
        "GradientClipping",
        "Training",
        "Experiments",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "gradclip", dependencies: ["GradclipCLI"]),
    .testTarget(
      name: "GradientClippingTests",
      dependencies: [
        "GradientClipping",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "TrainingTests",
      dependencies: [
        "Training", "GradientClipping",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: ["Experiments", "Training", "GradientClipping"]
    ),
    .testTarget(
      name: "GradclipCLITests",
      dependencies: ["GradclipCLI", "GradientClipping"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
