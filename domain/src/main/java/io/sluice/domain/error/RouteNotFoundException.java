package io.sluice.domain.error;

/** The admin API named a route the gateway does not have. */
public class RouteNotFoundException extends NonRetriableException {
    public RouteNotFoundException(String route) {
        super("No route named '" + (route.length() > 80 ? route.substring(0, 80) : route) + "'", null);
    }

    @Override
    public String code() {
        return "route_not_found";
    }
}
