package com.example.stockprices;

import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A random price event: now, one of a fixed set of tickers, a price uniform in [10, 100). */
public class StockPriceGenerator implements GeneratorFunction<Long, StockPrice> {
    static final List<String> TICKERS = List.of("AAPL", "AMZN", "MSFT", "INTC", "TBV", "TSLA");
    static final double MIN_PRICE = 10;
    static final double MAX_PRICE = 100;

    @Override
    public StockPrice map(Long index) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String ticker = TICKERS.get(random.nextInt(TICKERS.size()));
        return new StockPrice(new Timestamp(System.currentTimeMillis()), ticker, random.nextDouble(MIN_PRICE, MAX_PRICE));
    }
}
