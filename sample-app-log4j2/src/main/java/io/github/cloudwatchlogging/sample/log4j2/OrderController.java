package io.github.cloudwatchlogging.sample.log4j2;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Logs a few lines per request, one of them with an exception and MDC. */
@RestController
class OrderController {

    private static final Logger logger = LoggerFactory.getLogger(OrderController.class);

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id) {
        MDC.put("orderId", id);
        try {
            logger.info("Looking up order {}", id);
            try {
                Integer.parseInt(id);
            }
            catch (NumberFormatException ex) {
                logger.warn("Order id {} is not a number", id, ex);
            }
            logger.info("Order {} served", id);
            return "order " + id;
        }
        finally {
            MDC.remove("orderId");
        }
    }

}
