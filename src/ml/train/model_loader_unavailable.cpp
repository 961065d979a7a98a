// Built when the model library (src/ml/model) is absent: training needs it to load checkpoints.
#include "ml/train/model_loader.h"
#include "text/error.h"

namespace spanloop::ml::train {

TrainableModel load_trainable_model(const std::filesystem::path& dir, const text::LabelMap&,
                                    const torch::Device&, std::uint64_t,
                                    std::vector<std::string>&) {
  throw Error(ErrorKind::kFailedPrecondition,
              "cannot load " + dir.string() + ": this build has no model library (src/ml/model)");
}

}  // namespace spanloop::ml::train
