#include "cli/app.hpp"

int main(int argc, char** argv) {
  return vantage::cli::main(argc, argv);
}
