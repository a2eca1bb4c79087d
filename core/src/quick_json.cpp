// The quick calculators (business.hpp) over JSON: {kind, inputs} in, a result or an error
// naming the field out. Each input is required unless marked optional below.
#include <cmath>

#include "cvc/json_io.hpp"
#include "json_parts.hpp"

namespace cvc {
namespace {

using nlohmann::json;
using namespace detail;  // NOLINT: json_parts.hpp

class Inputs {
 public:
  explicit Inputs(const json& node) : node_(node) {}

  Status number(const char* key, double& out, bool required = true) const {
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) {
      return required ? Status(Error{key, std::string(key) + ": missing (a number is needed)."})
                      : Status::success();
    }
    if (!it->is_number()) {
      return Error{key, std::string(key) + ": expected a number, got " + it->type_name() + "."};
    }
    out = it->get<double>();
    if (!std::isfinite(out)) return Error{key, std::string(key) + ": the number is too large."};
    return Status::success();
  }
  Status period(const char* key, Period& out) const {
    const auto it = node_.find(key);
    if (it == node_.end()) return Status::success();  // the struct's default
    const auto p =
        it->is_string() ? period_from_string(it->get_ref<const std::string&>()) : std::nullopt;
    if (!p) return Error{key, std::string(key) + ": \"month\" or \"year\"."};
    out = *p;
    return Status::success();
  }
  bool flag(const char* key) const {
    const auto it = node_.find(key);
    return it != node_.end() && it->is_boolean() && it->get<bool>();
  }
  bool has(const char* key) const {
    const auto it = node_.find(key);
    return it != node_.end() && !it->is_null();
  }

 private:
  const json& node_;
};

#define CVC_TRY(expr)               \
  if (auto s_ = (expr); !s_.ok()) { \
    return s_.error();              \
  }

Expected<json> simple(const Inputs& in) {
  SimpleClvInput x;
  CVC_TRY(in.number("revenue", x.revenue));
  CVC_TRY(in.number("purchases", x.purchases));
  CVC_TRY(in.number("customers", x.customers));
  CVC_TRY(in.number("lifespan", x.lifespan));
  CVC_TRY(in.period("period", x.period));
  if (in.has("gross_margin")) {
    double m = 0;
    CVC_TRY(in.number("gross_margin", m));
    x.gross_margin = m;
  }
  auto r = simple_clv(x);
  if (!r.ok()) return r.error();
  const SimpleClv& v = r.value();
  json out = json::object();
  put(out, "average_purchase_value", v.average_purchase_value);
  put(out, "purchase_frequency", v.purchase_frequency);
  put(out, "clv", v.clv);
  put(out, "profit_clv", v.profit_clv ? json(*v.profit_clv) : json());
  put(out, "period", to_string(x.period));
  return out;
}

Expected<json> discounted(const Inputs& in) {
  DiscountedClvInput x;
  CVC_TRY(in.number("margin", x.margin));
  CVC_TRY(in.number("retention", x.retention));
  CVC_TRY(in.number("discount_rate", x.discount_rate));
  CVC_TRY(in.period("retention_period", x.retention_period));
  CVC_TRY(in.period("discount_period", x.discount_period));
  x.first_margin_now = in.flag("first_margin_now");
  if (in.has("horizon")) {
    double h = 0;
    CVC_TRY(in.number("horizon", h));
    if (h != std::floor(h) || h < 1 || h > 1000) {
      return Error{"horizon", "horizon: a whole number of periods from 1 to 1000."};
    }
    x.horizon = static_cast<int>(h);
  }
  auto r = discounted_clv(x);
  if (!r.ok()) return r.error();
  json out = json::object();
  put_number(out, "clv", r.value());
  put(out, "period", to_string(x.retention_period));
  return out;
}

Expected<json> saas(const Inputs& in) {
  SaasLtvInput x;
  CVC_TRY(in.number("arpa", x.arpa));
  CVC_TRY(in.number("gross_margin", x.gross_margin));
  CVC_TRY(in.number("churn_rate", x.churn_rate));
  CVC_TRY(in.period("arpa_period", x.arpa_period));
  CVC_TRY(in.period("churn_period", x.churn_period));
  auto r = saas_ltv(x);
  if (!r.ok()) return r.error();
  json out = outcome_to_json(r.value());
  out["ltv"] = out["value"];
  out.erase("value");
  return out;
}

Expected<json> churn(const Inputs& in) {
  ChurnInput x;
  CVC_TRY(in.number("customers_at_start", x.customers_at_start));
  CVC_TRY(in.number("customers_lost", x.customers_lost));
  CVC_TRY(in.period("period", x.period));
  auto r = churn_rate(x);
  if (!r.ok()) return r.error();
  json out = json::object();
  put(out, "churn", share_to_json(r.value().churn));
  put(out, "retention", share_to_json(r.value().retention));
  put(out, "period", to_string(x.period));
  return out;
}

Expected<json> mrr(const json& node) {
  const auto list = node.find("customers");
  if (list == node.end() || !list->is_array()) {
    return Error{"customers", "customers: a list of {mrr_start, mrr_end, active_before_start}."};
  }
  std::vector<MrrCustomer> customers;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& c = (*list)[i];
    const std::string where = "customers[" + std::to_string(i) + "]";
    if (!c.is_object()) return Error{where, where + ": expected an object."};
    MrrCustomer m;
    const Inputs in(c);
    if (auto s = in.number("mrr_start", m.mrr_start); !s.ok()) {
      return Error{where + "." + s.error().field, where + "." + s.error().message};
    }
    if (auto s = in.number("mrr_end", m.mrr_end); !s.ok()) {
      return Error{where + "." + s.error().field, where + "." + s.error().message};
    }
    m.active_before_start = in.flag("active_before_start");
    customers.push_back(m);
  }
  auto r = mrr_movements(customers);
  if (!r.ok()) return r.error();
  const MrrMovements& m = r.value();
  return mrr_movements_to_json(m);
}

Expected<json> rate(const Inputs& in) {
  double count = 0;
  double total = 0;
  CVC_TRY(in.number("count", count));
  CVC_TRY(in.number("total", total));
  auto r = rate_with_interval(count, total, "rate");
  if (!r.ok()) return r.error();
  return share_to_json(r.value());
}

#undef CVC_TRY

}  // namespace

Expected<json> quick_calculation(const std::string& kind, const json& inputs) {
  if (!inputs.is_object()) return Error{"inputs", "inputs: expected an object."};
  const Inputs in(inputs);
  if (kind == "simple_clv") return simple(in);
  if (kind == "discounted_clv") return discounted(in);
  if (kind == "saas_ltv") return saas(in);
  if (kind == "churn") return churn(in);
  if (kind == "mrr_movements") return mrr(inputs);
  if (kind == "rate") return rate(in);
  return Error{"kind",
               "kind: unknown calculator \"" + kind +
                   "\" (simple_clv, discounted_clv, saas_ltv, churn, mrr_movements, rate)."};
}

}  // namespace cvc
