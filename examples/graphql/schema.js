// @ts-check
import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';

/** A query and a subscription that counts down from `from` to 0, one number every `every` ms. */
export const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { hello: { type: GraphQLString, resolve: () => 'world' } },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      countdown: {
        type: GraphQLInt,
        args: {
          from: { type: new GraphQLNonNull(GraphQLInt) },
          every: { type: GraphQLInt, defaultValue: 10 },
        },
        subscribe: async function* (_root, /** @type {{ from: number, every: number }} */ { from, every }) {
          for (let n = from; n >= 0; n--) {
            yield { countdown: n };
            if (n > 0) await new Promise((resolve) => setTimeout(resolve, every));
          }
        },
      },
    },
  }),
});
